using System.Collections.Generic;
using FastPath.Model.Diagnostics;
using FastPath.Model.Net;

namespace FastPath.Model.Loading;

/// <summary>
/// spec.dnsPolicy and spec.dnsConfig, validated as the API server does (validatePodDNSConfig in
/// pkg/apis/core/validation): at most 3 nameservers, each an IP; at most 32 searches, each a DNS-1123 subdomain, 2,048
/// characters in all; None requires at least one nameserver.
/// </summary>
internal static class PodDnsReader
{
    public const int MaxNameservers = 3, MaxSearches = 32, MaxSearchChars = 2048;

    public static bool Read(YNode? spec, out DnsPolicy policy, out PodDnsConfig? config)
    {
        policy = DnsPolicy.ClusterFirst;
        config = null;
        if (spec is null) return true;
        bool ok = true;
        var policyNode = spec.Get("dnsPolicy");
        var text = policyNode?.AsString();
        if (!string.IsNullOrEmpty(text))
        {
            switch (text)
            {
                case "ClusterFirst": policy = DnsPolicy.ClusterFirst; break;
                case "ClusterFirstWithHostNet": policy = DnsPolicy.ClusterFirstWithHostNet; break;
                case "Default": policy = DnsPolicy.Default; break;
                case "None": policy = DnsPolicy.None; break;
                default:
                    spec.Bag.Report(Descriptors.InvalidEnum, policyNode!.Location, "spec.dnsPolicy", text!, "ClusterFirst, ClusterFirstWithHostNet, Default, None");
                    return false;
            }
        }
        var node = spec.Map("dnsConfig");
        if (node is null)
        {
            if (policy != DnsPolicy.None) return true;
            spec.Bag.Report(Descriptors.PodDnsConfig, spec.Location, "spec.dnsConfig is required when spec.dnsPolicy is None");
            return false;
        }

        var nameservers = new List<string>();
        foreach (var n in node.Seq("nameservers"))
        {
            var ip = n.AsString();
            if (!IpText.IsValid(ip)) { spec.Bag.Report(Descriptors.InvalidIp, n.Location, n.Path, ip ?? ""); ok = false; continue; }
            nameservers.Add(ip!);
        }
        if (nameservers.Count > MaxNameservers)
        {
            spec.Bag.Report(Descriptors.PodDnsConfig, node.Location, $"spec.dnsConfig.nameservers must not have more than {MaxNameservers} nameservers, not {nameservers.Count}");
            ok = false;
        }
        if (policy == DnsPolicy.None && nameservers.Count == 0 && ok)
        {
            spec.Bag.Report(Descriptors.PodDnsConfig, node.Location, "spec.dnsConfig.nameservers must hold at least one nameserver when spec.dnsPolicy is None");
            ok = false;
        }

        var searches = new List<string>();
        int chars = -1;
        foreach (var n in node.Seq("searches"))
        {
            var s = n.AsString() ?? "";
            // The API server validates the domain without its trailing dot and keeps it as written.
            var bare = s.EndsWith(".", System.StringComparison.Ordinal) ? s.Substring(0, s.Length - 1) : s;
            if (!DnsNames.IsDns1123Subdomain(bare))
            {
                spec.Bag.Report(Descriptors.PodDnsConfig, n.Location, $"{n.Path} '{s}' must be a DNS-1123 subdomain (lower-case labels of letters, digits and '-', separated by '.')");
                ok = false;
                continue;
            }
            searches.Add(s);
            chars += s.Length + 1;
        }
        if (searches.Count > MaxSearches)
        {
            spec.Bag.Report(Descriptors.PodDnsConfig, node.Location, $"spec.dnsConfig.searches must not have more than {MaxSearches} search paths, not {searches.Count}");
            ok = false;
        }
        if (chars > MaxSearchChars)
        {
            spec.Bag.Report(Descriptors.PodDnsConfig, node.Location, $"spec.dnsConfig.searches must not have more than {MaxSearchChars} characters (including spaces), not {chars}");
            ok = false;
        }

        var options = new List<PodDnsOption>();
        foreach (var n in node.Seq("options"))
        {
            var name = n.Str("name");
            if (string.IsNullOrEmpty(name)) { spec.Bag.Report(Descriptors.MissingField, n.Location, n.Path + ".name"); ok = false; continue; }
            options.Add(new PodDnsOption(name!, n.Get("value") is null ? null : n.Str("value")));
        }
        config = new PodDnsConfig { Nameservers = nameservers, Searches = searches, Options = options };
        return ok;
    }
}
