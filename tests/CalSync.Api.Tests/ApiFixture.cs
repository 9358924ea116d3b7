using CalSync.Testing;
using Microsoft.AspNetCore.Mvc.Testing;

namespace CalSync.Api.Tests;

/// <summary>The Api host on a fresh database and a private RabbitMQ virtual host.</summary>
public sealed class ApiFixture : IAsyncLifetime
{
    public TestDatabase Database { get; } = new();

    public TestVirtualHost Broker { get; } = new();

    public WebApplicationFactory<Program> Api { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await Database.InitializeAsync();
        await Broker.InitializeAsync();
        Api = new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
        {
            web.UseSetting("Database:ConnectionString", Database.ConnectionString);
            web.UseSetting("Broker:Uri", Broker.Uri.ToString());
        });
        _ = Api.Services;
    }

    public async Task DisposeAsync()
    {
        await Api.DisposeAsync();
        await Broker.DisposeAsync();
        await Database.DisposeAsync();
    }
}
