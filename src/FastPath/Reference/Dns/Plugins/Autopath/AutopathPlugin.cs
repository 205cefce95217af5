using System.Collections.Generic;
using System.Linq;
using System.Net;
using FastPath.Dns;
using FastPath.Model;
using FastPath.Model.Corefile;
using FastPath.Model.Corefile.Plugins;

namespace FastPath.Reference.Dns;

/// <summary>
/// autopath @kubernetes (plugin/autopath, K/autopath.go): the server walks the client pod's search path itself
/// and answers the first try that is not NXDOMAIN, behind a CNAME from the name asked.
/// </summary>
internal sealed class AutopathPlugin
{
    private readonly AutopathOptions _options;
    private readonly KubernetesOptions? _kubernetes;
    private readonly Cluster _cluster;

    public AutopathPlugin(AutopathOptions options, KubernetesOptions? kubernetes, Cluster cluster)
    {
        _options = options; _kubernetes = kubernetes; _cluster = cluster;
    }

    /// <summary>The search path for this client and name, or null when autopath does not apply.</summary>
    public IReadOnlyList<string>? SearchPath(string lowerName, IPAddress? client)
    {
        if (ZoneName.LongestMatch(_options.Zones, lowerName) is null || !_options.FromKubernetes || _kubernetes is null) return null;
        var zone = ZoneName.LongestMatch(_kubernetes.Zones, lowerName);
        // The pod cache exists only with 'pods verified'; without it autopath does nothing.
        if (zone is null || _kubernetes.Pods != PodMode.Verified || client is null) return null;
        var ip = client.ToString();
        var pod = _cluster.Pods.FirstOrDefault(p => !p.IsDeleting && p.PodIPs.Contains(ip));
        if (pod is null) return null;
        var search = zone == "."
            ? new List<string> { pod.Namespace + ".svc.", "svc.", "." }
            : new List<string> { pod.Namespace + ".svc." + zone, "svc." + zone, zone };
        search.Add(""); // the bare name, last
        return ZoneName.IsSubdomain(search[0], lowerName) && lowerName != search[0] ? search : null;
    }

    /// <summary>The base name: the query with the first search element cut off (kept in the query's case).</summary>
    public static string Base(string qname, string first) => qname.Substring(0, qname.Length - first.Length - 1);

    /// <summary>cnamer: a CNAME from the original name to the answer's owner goes first, and the question is restored.</summary>
    public static void Cnamer(DnsMessage m, string original)
    {
        foreach (var a in m.Answer)
        {
            if (string.Equals(a.Name, original, System.StringComparison.OrdinalIgnoreCase)) continue;
            m.Answer.Insert(0, new DnsRecord(original, DnsType.CNAME, a.Ttl, new NameData(a.Name)));
            break;
        }
        m.Question = m.Question with { Name = original };
    }
}
