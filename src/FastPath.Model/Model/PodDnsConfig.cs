using System.Collections.Generic;

namespace FastPath.Model;

/// <summary>spec.dnsPolicy. An empty value is defaulted to ClusterFirst by the API server.</summary>
public enum DnsPolicy { ClusterFirst, ClusterFirstWithHostNet, Default, None }

/// <summary>spec.dnsConfig: merged by the kubelet on top of the base its dnsPolicy gives.</summary>
public sealed record PodDnsConfig
{
    public IReadOnlyList<string> Nameservers { get; init; } = [];
    public IReadOnlyList<string> Searches { get; init; } = [];
    public IReadOnlyList<PodDnsOption> Options { get; init; } = [];
}

/// <summary>One spec.dnsConfig.options entry; a null value writes the bare name (e.g. "single-request").</summary>
public sealed record PodDnsOption(string Name, string? Value);
