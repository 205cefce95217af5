using System.Collections.Generic;

namespace FastPath.Reference.DataPlane;

/// <summary>An endpoint as kube-proxy holds it for one service port (pkg/proxy/endpointslicecache.go).</summary>
public sealed record ProxyEndpoint(string Ip, int Port, bool Ready, bool Serving, bool Terminating, bool IsLocal,
    string? NodeName, string? Zone, IReadOnlyList<string>? ZoneHints, IReadOnlyList<string>? NodeHints)
{
    /// <summary>"ip:port", with brackets for IPv6, as kube-proxy sorts and prints endpoints.</summary>
    public string Key => Ip.Contains(':') ? $"[{Ip}]:{Port}" : $"{Ip}:{Port}";

    public bool ServingTerminating => Serving && Terminating;
}
