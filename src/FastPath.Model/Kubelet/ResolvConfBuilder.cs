using System;
using System.Collections.Generic;
using System.Net.Sockets;

namespace FastPath.Model.Kubelet;

/// <summary>
/// The kubelet's result for one pod: the file and the warning events recorded while forming it; or, when the host
/// file cannot be read, no file and the error (the kubelet then fails to create the pod's sandbox).
/// </summary>
public sealed record PodResolvConf(ResolvConf? ResolvConf, IReadOnlyList<string> Events, string? Error = null);

/// <summary>
/// The kubelet's GetPodDNS (pkg/kubelet/network/dns/dns.go): the base the pod's dnsPolicy selects (cluster, host file,
/// or nothing), spec.dnsConfig merged on top, then the resolver's limits applied. Events are the kubelet's own texts.
/// </summary>
public static class ResolvConfBuilder
{
    public const int MaxNameservers = 3, MaxSearchPaths = 32, MaxSearchListChars = 2048, MaxSearchLength = 253;

    /// <summary>The "ndots:5" every cluster-first pod gets (defaultDNSOptions).</summary>
    public static readonly IReadOnlyList<string> DefaultOptions = ["ndots:5"];

    private enum Base { Cluster, Host, None }

    public static PodResolvConf For(Pod pod, ResolvConfSettings settings)
    {
        var events = new List<string>();
        var host = new ResolvConf([], [], []);
        if (settings.HostResolvConf is not null)
        {
            // getHostDNSConfig runs first for every policy: a bad host file fails every pod on the node.
            host = ResolvConf.Parse(settings.HostResolvConf, out var errors);
            if (errors.Count > 0) return new PodResolvConf(null, events, "the kubelet cannot use --resolv-conf: " + string.Join("; ", errors));
        }
        List<string> servers = [.. host.Nameservers], searches = [.. host.Searches], options = [.. host.Options];

        var kind = BaseOf(pod);
        if (kind == Base.Cluster && settings.ClusterDns.Count == 0)
        {
            events.Add($"MissingClusterDNS: kubelet does not have ClusterDNS IP configured and cannot create Pod using \"ClusterFirst\" policy. Falling back to \"Default\" policy.");
            kind = Base.Host;
        }
        switch (kind)
        {
            case Base.None:
                servers = []; searches = []; options = [];
                break;
            case Base.Cluster:
                servers = [.. settings.ClusterDns];
                searches = ClusterSearches(pod.Namespace, settings.ClusterDomain, searches);
                options = [.. DefaultOptions];
                break;
            case Base.Host when settings.HostResolvConf is null:
                // --resolv-conf="": the local machine's resolver, one loopback per node IP family, and the root as search.
                servers = [];
                foreach (var ip in settings.NodeIPs) servers.Add(ip.AddressFamily == AddressFamily.InterNetworkV6 ? "::1" : "127.0.0.1");
                if (servers.Count == 0) servers.Add("127.0.0.1");
                searches = ["."];
                break;
        }

        if (pod.DnsConfig is { } config)
        {
            servers = OmitDuplicates(servers, config.Nameservers);
            searches = OmitDuplicates(searches, config.Searches);
            options = MergeOptions(options, config.Options);
        }

        if (servers.Count > MaxNameservers)
        {
            servers = servers.GetRange(0, MaxNameservers);
            events.Add("DNSConfigForming: Nameserver limits were exceeded, some nameservers have been omitted, the applied nameserver line is: " + string.Join(" ", servers));
        }
        searches = FitSearches(searches, out bool cut);
        if (cut) events.Add("DNSConfigForming: Search Line limits were exceeded, some search paths have been omitted, the applied search line is: " + string.Join(" ", searches));
        return new PodResolvConf(new ResolvConf(servers, searches, options), events);
    }

    /// <summary>
    /// getPodDNSType: ClusterFirst on a hostNetwork pod means Default; ClusterFirstWithHostNet means cluster for
    /// every pod. (An empty policy is ClusterFirst by the API server's defaulting.)
    /// </summary>
    private static Base BaseOf(Pod pod) => pod.DnsPolicy switch
    {
        DnsPolicy.None => Base.None,
        DnsPolicy.ClusterFirstWithHostNet => Base.Cluster,
        DnsPolicy.ClusterFirst => pod.HostNetwork ? Base.Host : Base.Cluster,
        _ => Base.Host,
    };

    /// <summary>generateSearchesForDNSClusterFirst: ns.svc.domain, svc.domain, domain, then the host's; duplicates dropped.</summary>
    public static List<string> ClusterSearches(string ns, string clusterDomain, IReadOnlyList<string> hostSearches)
    {
        if (clusterDomain.Length == 0) return [.. hostSearches];
        return OmitDuplicates([$"{ns}.svc.{clusterDomain}", $"svc.{clusterDomain}", clusterDomain], hostSearches);
    }

    /// <summary>omitDuplicates(append(first, second...)): the first occurrence of each string kept, in order.</summary>
    public static List<string> OmitDuplicates(IReadOnlyList<string> first, IReadOnlyList<string> second)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var result = new List<string>(first.Count + second.Count);
        foreach (var s in first) if (seen.Add(s)) result.Add(s);
        foreach (var s in second) if (seen.Add(s)) result.Add(s);
        return result;
    }

    /// <summary>
    /// mergeDNSOptions: options keyed by name (text before the first ':'), the pod's value replacing the base's; a
    /// value of "" writes the bare name. The kubelet rebuilds the list from a Go map, so its order is arbitrary;
    /// FastPath keeps the base's order and appends new names in the pod's order, so the same input gives the same file.
    /// </summary>
    public static List<string> MergeOptions(IReadOnlyList<string> existing, IReadOnlyList<PodDnsOption> podOptions)
    {
        var order = new List<string>();
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        void Set(string name, string value)
        {
            if (!values.ContainsKey(name)) order.Add(name);
            values[name] = value;
        }
        foreach (var op in existing)
        {
            int colon = op.IndexOf(':');
            if (colon >= 0) Set(op.Substring(0, colon), op.Substring(colon + 1));
            else Set(op, "");
        }
        foreach (var op in podOptions) Set(op.Name, op.Value ?? "");
        var result = new List<string>(order.Count);
        foreach (var name in order) result.Add(values[name].Length == 0 ? name : name + ":" + values[name]);
        return result;
    }

    /// <summary>
    /// formDNSSearchFitsLimits: at most 32 domains; a domain over 253 characters dropped (glibc 2.28 aborts on such
    /// a domain); then whole domains cut from the end until the joined line fits 2,048 characters.
    /// </summary>
    public static List<string> FitSearches(IReadOnlyList<string> searches, out bool limitsExceeded)
    {
        limitsExceeded = false;
        var list = new List<string>(searches);
        if (list.Count > MaxSearchPaths) { list.RemoveRange(MaxSearchPaths, list.Count - MaxSearchPaths); limitsExceeded = true; }
        if (list.RemoveAll(s => s.Length > MaxSearchLength) > 0) limitsExceeded = true;
        int length = list.Count == 0 ? 0 : list.Count - 1;
        foreach (var s in list) length += s.Length;
        if (length > MaxSearchListChars)
        {
            int cut = 0, cutLength = 0;
            for (int i = list.Count - 1; i >= 0; i--)
            {
                cutLength += list[i].Length + 1;
                cut++;
                if (length - cutLength <= MaxSearchListChars) break;
            }
            list.RemoveRange(list.Count - cut, cut);
            limitsExceeded = true;
        }
        return list;
    }
}
