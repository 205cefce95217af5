using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using FastPath.Model;

namespace FastPath.Reference.DataPlane;

/// <summary>
/// The service environment variables the kubelet injects into a pod's containers
/// (pkg/kubelet/kubelet_pods.go getServiceEnvVarMap, pkg/kubelet/envvars/envvars.go FromServices).
/// </summary>
public static class ServiceEnvironment
{
    public const string MasterNamespace = "default";
    public const string MasterService = "kubernetes";

    /// <summary>The variables for a pod in <paramref name="ns"/>; services by name, each service's variables in the kubelet's order.</summary>
    public static List<KeyValuePair<string, string>> For(Cluster cluster, string ns, bool enableServiceLinks = true)
    {
        // Keyed by name: the pod's own namespace wins over the master service of the same name.
        var byName = new SortedDictionary<string, Service>(System.StringComparer.Ordinal);
        foreach (var s in cluster.Services)
        {
            if (!HasClusterIp(s)) continue;
            if (s.Namespace == ns && enableServiceLinks) byName[s.Name] = s;
            else if (s.Namespace == MasterNamespace && s.Name == MasterService && !byName.ContainsKey(s.Name)) byName[s.Name] = s;
        }
        var vars = new List<KeyValuePair<string, string>>();
        foreach (var s in byName.Values) vars.AddRange(ForService(s));
        return vars;
    }

    /// <summary>Headless and ExternalName services get no variables.</summary>
    private static bool HasClusterIp(Service s) => s.IsProxied && s.ClusterIPs.Count > 0 && s.ClusterIPs[0].Length > 0;

    public static IEnumerable<KeyValuePair<string, string>> ForService(Service s)
    {
        string prefix = Name(s.Name);
        string host = s.ClusterIPs[0]; // only the primary family
        if (s.Ports.Count == 0)
        {
            yield return Pair(prefix + "_SERVICE_HOST", host);
            yield break;
        }
        yield return Pair(prefix + "_SERVICE_HOST", host);
        yield return Pair(prefix + "_SERVICE_PORT", Num(s.Ports[0].Port));
        foreach (var p in s.Ports.Where(p => !string.IsNullOrEmpty(p.Name)))
            yield return Pair(prefix + "_SERVICE_PORT_" + Name(p.Name!), Num(p.Port));
        // The docker-links set.
        for (int i = 0; i < s.Ports.Count; i++)
        {
            var p = s.Ports[i];
            string proto = p.Protocol.ToLowerInvariant();
            string url = $"{proto}://{JoinHostPort(host, p.Port)}";
            string portPrefix = $"{prefix}_PORT_{Num(p.Port)}_{p.Protocol.ToUpperInvariant()}";
            if (i == 0) yield return Pair(prefix + "_PORT", url);
            yield return Pair(portPrefix, url);
            yield return Pair(portPrefix + "_PROTO", proto);
            yield return Pair(portPrefix + "_PORT", Num(p.Port));
            yield return Pair(portPrefix + "_ADDR", host);
        }
    }

    /// <summary>Upper case, '-' as '_' (makeEnvVariableName).</summary>
    public static string Name(string s) => s.Replace('-', '_').ToUpperInvariant();

    private static string JoinHostPort(string host, int port) => host.Contains(':') ? $"[{host}]:{Num(port)}" : $"{host}:{Num(port)}";

    private static string Num(int n) => n.ToString(CultureInfo.InvariantCulture);

    private static KeyValuePair<string, string> Pair(string k, string v) => new(k, v);
}
