using CalSync.Engine.Push;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace CalSync.Engine.Tests.Push;

/// <summary>Google delivers push over https only: a plain http webhook address is accepted only when Google is the emulator.</summary>
public sealed class PushOptionsTests
{
    [Theory]
    [InlineData("https://calsync.example.com/", null, true)]
    [InlineData("http://calsync.example.com/", null, false)]
    [InlineData("http://127.0.0.1:8033/", "http://127.0.0.1:8044/", true)]
    [InlineData("ftp://127.0.0.1/", "http://127.0.0.1:8044/", false)]
    [InlineData("calsync.example.com", null, false)]
    public void PublicUrl_MustBeHttpsUnlessSandboxed(string publicUrl, string? emulatorRoot, bool valid)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Webhooks:PublicUrl"] = publicUrl,
            ["Google:EmulatorRoot"] = emulatorRoot,
        });
        builder.AddPushChannels(reconciler: false);
        using var host = builder.Build();

        var read = () => host.Services.GetRequiredService<IOptions<PushOptions>>().Value;

        if (valid)
        {
            Assert.Equal(new Uri(new Uri(publicUrl), "webhooks/google"), read().WebhookAddress);
        }
        else
        {
            Assert.Contains("https", Assert.Throws<OptionsValidationException>(read).Message, StringComparison.Ordinal);
        }
    }
}
