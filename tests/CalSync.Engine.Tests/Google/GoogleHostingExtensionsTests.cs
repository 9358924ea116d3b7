using CalSync.Engine.Auth;
using CalSync.Engine.Google;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Npgsql;

namespace CalSync.Engine.Tests.Google;

public sealed class GoogleHostingExtensionsTests
{
    private static IHost Build(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddSingleton(NpgsqlDataSource.Create("Host=127.0.0.1;Port=1"));
        builder.AddGoogleCalendar();
        return builder.Build();
    }

    private static Dictionary<string, string?> Valid() => new()
    {
        ["Google:OAuth:ClientId"] = "id",
        ["Google:OAuth:ClientSecret"] = "secret",
        ["TokenVault:Keys:0:Id"] = "k1",
        ["TokenVault:Keys:0:Key"] = Convert.ToBase64String(new byte[32]),
    };

    [Fact]
    public void Defaults_PointAtGoogle()
    {
        using var host = Build(Valid());

        var api = host.Services.GetRequiredService<IOptions<GoogleApiOptions>>().Value;
        var oauth = host.Services.GetRequiredService<IOptions<GoogleOAuthOptions>>().Value;

        Assert.Equal("https://www.googleapis.com/calendar/v3/", api.CalendarBaseUri.ToString());
        Assert.Equal("https://www.googleapis.com/batch/calendar/v3", api.BatchUri.ToString());
        Assert.Equal(600, api.CallsPerWindow);
        Assert.Equal(10_000, api.ProjectCallsPerWindow);
        Assert.Equal(TimeSpan.FromMinutes(1), api.RateLimitWindow);
        Assert.Equal("https://oauth2.googleapis.com/token", oauth.TokenEndpoint.ToString());
        Assert.NotNull(host.Services.GetRequiredService<GoogleCalendarClientFactory>());
    }

    [Fact]
    public void EmulatorRoot_PointsEveryEndpointAtTheEmulator()
    {
        var settings = Valid();
        settings[GoogleHostingExtensions.EmulatorRootKey] = "http://127.0.0.1:8044";
        using var host = Build(settings);

        var api = host.Services.GetRequiredService<IOptions<GoogleApiOptions>>().Value;
        var oauth = host.Services.GetRequiredService<IOptions<GoogleOAuthOptions>>().Value;

        Assert.Equal("http://127.0.0.1:8044/calendar/v3/", api.CalendarBaseUri.ToString());
        Assert.Equal("http://127.0.0.1:8044/batch/calendar/v3", api.BatchUri.ToString());
        Assert.Equal("http://127.0.0.1:8044/o/oauth2/v2/auth", oauth.AuthorizationEndpoint.ToString());
        Assert.Equal("http://127.0.0.1:8044/token", oauth.TokenEndpoint.ToString());
    }

    [Theory]
    [InlineData("TokenVault:Keys:0:Key", "dG9vIHNob3J0")]
    [InlineData("Google:OAuth:ClientId", "")]
    [InlineData("Google:CallsPerWindow", "0")]
    [InlineData("Google:ProjectCallsPerWindow", "0")]
    [InlineData("Google:MaxBatchSize", "51")]
    public async Task InvalidConfiguration_StopsStartUp(string key, string value)
    {
        var settings = Valid();
        settings[key] = value;
        using var host = Build(settings);

        await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
    }
}
