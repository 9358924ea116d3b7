using Xunit;
using System.Net.Http.Headers;
using System.Text;

namespace CalSync.Testing;

/// <summary>
/// A RabbitMQ virtual host of its own for one test class: queues named as in production
/// (<c>sync-requested</c>) without test classes stealing each other's messages. Deleted afterwards.
/// </summary>
public sealed class TestVirtualHost : IAsyncLifetime
{
    private HttpClient _management = null!;

    public string Name { get; } = $"calsync-test-{Guid.NewGuid():N}";

    /// <summary>AMQP URI of the virtual host, with credentials.</summary>
    public Uri Uri { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var endpoints = await TestServices.GetAsync();
        _management = ManagementClient(endpoints.RabbitMqManagement);
        (await _management.PutAsync($"api/vhosts/{Name}", null)).EnsureSuccessStatusCode();
        var user = Uri.UnescapeDataString(endpoints.RabbitMqManagement.UserInfo.Split(':')[0]);
        using var permissions = new StringContent("""{"configure":".*","write":".*","read":".*"}""", Encoding.UTF8, "application/json");
        (await _management.PutAsync($"api/permissions/{Name}/{user}", permissions)).EnsureSuccessStatusCode();
        Uri = new UriBuilder(endpoints.RabbitMq) { Path = "/" + Uri.EscapeDataString(Name) }.Uri;
    }

    /// <summary>Messages in a queue of this host, as the broker counts them (ready + unacknowledged).</summary>
    public async Task<int?> QueueDepthAsync(string queue)
    {
        using var response = await _management.GetAsync($"api/queues/{Name}/{Uri.EscapeDataString(queue)}");
        if (!response.IsSuccessStatusCode)
        {
            return null;
        }
        using var json = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.TryGetProperty("messages", out var messages) ? messages.GetInt32() : 0;
    }

    public async Task DisposeAsync()
    {
        using var _ = await _management.DeleteAsync($"api/vhosts/{Name}");
        _management.Dispose();
    }

    private static HttpClient ManagementClient(Uri management)
    {
        var client = new HttpClient { BaseAddress = new UriBuilder(management) { UserName = "", Password = "", Path = "/" }.Uri };
        var credentials = Uri.UnescapeDataString(management.UserInfo);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(credentials)));
        return client;
    }
}
