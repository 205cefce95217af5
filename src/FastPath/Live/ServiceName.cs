using System;

namespace FastPath.Live;

/// <summary>
/// A Service named the way an app names it: <c>cart.shop</c>, <c>cart.shop.svc</c>, <c>cart.shop.svc.cluster.local</c>
/// (trailing dot allowed), or <c>cart</c> in the app's own namespace. Integrations (service discovery, YARP, gRPC)
/// parse their addresses with it so they all accept the same names as a pod's resolver search list would.
/// </summary>
public readonly record struct ServiceName(string Namespace, string Name, bool Qualified)
{
    /// <summary>
    /// Parses <paramref name="host"/>. <see cref="Qualified"/> is true when the name carries the <c>svc</c> label
    /// (it can only mean a Service); <c>name.namespace</c> and a bare name are left to the caller to confirm against
    /// the cluster, as a pod's search list would fall through to the next domain.
    /// </summary>
    public static bool TryParse(string host, string clusterDomain, string? defaultNamespace, out ServiceName service)
    {
        service = default;
        if (string.IsNullOrEmpty(host)) return false;
        var h = host.EndsWith('.') ? host[..^1] : host;
        var suffix = ".svc." + clusterDomain.TrimEnd('.');
        bool qualified = false;
        if (h.EndsWith(suffix, StringComparison.OrdinalIgnoreCase)) { h = h[..^suffix.Length]; qualified = true; }
        else if (h.EndsWith(".svc", StringComparison.OrdinalIgnoreCase)) { h = h[..^4]; qualified = true; }
        var dot = h.IndexOf('.');
        if (dot < 0)
        {
            if (qualified || defaultNamespace is null || h.Length == 0) return false;
            service = new ServiceName(defaultNamespace, h.ToLowerInvariant(), false);
            return true;
        }
        if (dot == 0 || dot == h.Length - 1 || h.IndexOf('.', dot + 1) >= 0) return false;
        service = new ServiceName(h[(dot + 1)..].ToLowerInvariant(), h[..dot].ToLowerInvariant(), qualified);
        return true;
    }

    public override string ToString() => $"{Namespace}/{Name}";
}
