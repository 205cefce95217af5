using System.Globalization;
using System.Net;
using FastPath.Live;

namespace FastPath.Http;

/// <summary>
/// A request's host and port read as a Service port: a name <see cref="ServiceName"/> accepts (<c>cart</c>,
/// <c>cart.shop</c>, <c>cart.shop.svc[.cluster.local]</c>) with an optional <c>_portname.</c> prefix (the
/// service-discovery convention) choosing a named port instead of the URI's; or a ClusterIP.
/// </summary>
internal sealed record ServiceTarget(ServiceName? Name, string Port, IPAddress? ClusterIP)
{
    /// <summary>null when the host cannot name a Service.</summary>
    public static ServiceTarget? Parse(string host, int port, FastPathHttpOptions options)
    {
        var portText = port.ToString(CultureInfo.InvariantCulture);
        if (IPAddress.TryParse(host.Trim('[', ']'), out var ip)) return new ServiceTarget(null, portText, ip);
        if (host.StartsWith('_'))
        {
            int dot = host.IndexOf('.');
            if (dot < 2) return null;
            portText = host.Substring(1, dot - 1).ToLowerInvariant();
            host = host.Substring(dot + 1);
        }
        return ServiceName.TryParse(host, options.ClusterDomain, options.Namespace, out var name) ? new ServiceTarget(name, portText, null) : null;
    }
}
