using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Mvc.Testing;

namespace CalSync.GoogleEmulator.Tests;

/// <summary>The emulator also runs under WebApplicationFactory (no real port: fine for everything except push).</summary>
public sealed class WebApplicationFactoryTests : IDisposable
{
    private readonly WebApplicationFactory<Program> _factory = new();

    [Fact]
    public async Task Program_serves_admin_and_calendar_api_in_a_test_server()
    {
        using var http = _factory.CreateClient();
        var email = $"factory-{Guid.NewGuid():N}@example.com";

        using var created = await http.PostAsJsonAsync("emulator/accounts", new { email, name = "Factory" });
        using var token = await http.PostAsync($"emulator/accounts/{Uri.EscapeDataString(email)}/token", null);
        var accessToken = System.Text.Json.Nodes.JsonNode.Parse(await token.Content.ReadAsStringAsync())!["access_token"]!.GetValue<string>();
        using var request = new HttpRequestMessage(HttpMethod.Get, "calendar/v3/users/me/calendarList");
        request.Headers.Authorization = new("Bearer", accessToken);
        using var list = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
    }

    public void Dispose() => _factory.Dispose();
}
