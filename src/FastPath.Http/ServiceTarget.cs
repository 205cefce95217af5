using System;
using System.Globalization;
using System.Net;

namespace FastPath.Http;

/// <summary>
/// A request's host and port read as a Service: <c>cart</c> (the app's namespace), <c>cart.shop</c>,
/// <c>cart.shop.svc</c>, <c>cart.shop.svc.cluster.local</c>, each with an optional <c>_portname.</c> prefix (the
/// service-discovery convention) that chooses a named port instead of the URI's; or a ClusterIP.
/// </summary>
internal sealed record ServiceTarget(string Namespace, string Service, string Port, IPAddress? ClusterIP)
{
    public string Key => Namespace + "/" + Service;

    /// <summary>null when the host cannot name a Service (too many labels outside the cluster domain).</summary>
    public static ServiceTarget? Parse(string host, int port, FastPathHttpOptions options)
    {
        var portText = port.ToString(CultureInfo.InvariantCulture);
        if (IPAddress.TryParse(host.Trim('[', ']'), out var ip)) return new ServiceTarget("", "", portText, ip);
        var name = host.TrimEnd('.').ToLowerInvariant();
        if (name.StartsWith('_'))
        {
            int dot = name.IndexOf('.');
            if (dot < 2) return null;
            portText = name.Substring(1, dot - 1);
            name = name.Substring(dot + 1);
        }
        var domain = "." + options.ClusterDomain.Trim('.').ToLowerInvariant();
        if (name.EndsWith(".svc" + domain, StringComparison.Ordinal)) name = name.Substring(0, name.Length - domain.Length);
        if (name.EndsWith(".svc", StringComparison.Ordinal)) name = name.Substring(0, name.Length - 4);
        var labels = name.Split('.');
        return labels.Length switch
        {
            1 when labels[0].Length > 0 => new ServiceTarget(options.Namespace, labels[0], portText, null),
            2 when labels[0].Length > 0 && labels[1].Length > 0 => new ServiceTarget(labels[1], labels[0], portText, null),
            _ => null,
        };
    }
}
