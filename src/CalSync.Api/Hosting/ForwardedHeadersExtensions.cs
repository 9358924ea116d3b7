using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace CalSync.Api.Hosting;

public static class ForwardedHeadersExtensions
{
    /// <summary>
    /// <c>X-Forwarded-For</c> and <c>-Proto</c> (the client address for the sign-in limit, https for Secure cookies and
    /// the redirect URI) are believed only from the proxies listed in <c>ForwardedHeaders:KnownProxies</c> (addresses)
    /// and <c>ForwardedHeaders:KnownNetworks</c> (CIDR ranges); with none listed, from nobody. This holds even with
    /// <c>ASPNETCORE_FORWARDEDHEADERS_ENABLED</c>, whose own setup would believe anyone.
    /// </summary>
    public static IHostApplicationBuilder AddForwardedHeadersFromProxies(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var section = builder.Configuration.GetSection("ForwardedHeaders");
        var proxies = section.GetSection("KnownProxies").Get<string[]>() ?? [];
        var networks = section.GetSection("KnownNetworks").Get<string[]>() ?? [];
        builder.Services.PostConfigure<ForwardedHeadersOptions>(o =>
        {
            o.KnownProxies.Clear();
            o.KnownIPNetworks.Clear();
            foreach (var proxy in proxies)
            {
                o.KnownProxies.Add(IPAddress.TryParse(proxy, out var address)
                    ? address
                    : throw new InvalidOperationException($"ForwardedHeaders:KnownProxies: '{proxy}' is not an IP address."));
            }
            foreach (var network in networks)
            {
                o.KnownIPNetworks.Add(System.Net.IPNetwork.TryParse(network, out var range)
                    ? range
                    : throw new InvalidOperationException($"ForwardedHeaders:KnownNetworks: '{network}' is not a CIDR range such as 10.0.0.0/8."));
            }
            // Empty lists would mean "any sender"; with no proxy configured, nothing forwarded is believed.
            o.ForwardedHeaders = proxies.Length + networks.Length > 0 ? ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto : ForwardedHeaders.None;
        });
        return builder;
    }
}
