using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using FsCheck;
using FsCheck.Fluent;

namespace FastPath.Tests.Properties;

/// <summary>FsCheck generators for valid clusters and for queries biased toward names that exist and their near misses.</summary>
public static class ClusterGenerators
{
    private static readonly string[] NamespaceNames = ["alpha", "beta", "gamma"];
    private static readonly string[] Nodes = ["n1", "n2"];

    private static Gen<bool?> Tri => Gen.Elements<bool?>(true, false, null, true);

    private static Gen<EndpointSpec> Endpoint(int svc, int i, bool v6) =>
        from ready in Tri
        from serving in Tri
        from terminating in Gen.Elements<bool?>(null, false, true)
        from node in Gen.Elements<string?>("n1", "n2", null)
        from hostname in Gen.Elements<string?>(null, null, "h1", "h2")
        from hint in Gen.Elements<string?>(null, null, "zone-n1", "zone-n2")
        from shared in Gen.Choose(0, 9)
        from pod in Gen.Elements<string?>(null, "pod-" + svc.ToString(CultureInfo.InvariantCulture) + "-" + i.ToString(CultureInfo.InvariantCulture))
        select new EndpointSpec(
            shared == 0 ? (v6 ? "fd00::1" : "10.244.0.1") : v6 ? $"fd00::{svc + 1:x}:{i + 1:x}" : $"10.244.{svc + 1}.{i + 1}",
            ready, serving, terminating, node, hostname, hint, pod);

    private static Gen<ServiceSpec> Service(int i) =>
        from ns in Gen.Elements(NamespaceNames)
        from kind in Gen.Elements("ClusterIP", "ClusterIP", "Headless", "ExternalName", "NodePort", "LoadBalancer")
        from dual in Gen.Elements(false, false, true)
        from portCount in Gen.Choose(0, 2)
        from proto in Gen.Elements("TCP", "UDP")
        from named in Gen.Elements(true, true, false)
        from epCount in Gen.Choose(0, 4)
        from eps4 in Gen.CollectToSequence(Enumerable.Range(0, epCount).Select(e => Endpoint(i, e, false)))
        from eps6 in dual ? Gen.CollectToSequence(Enumerable.Range(0, 1).Select(e => Endpoint(i, e + 10, true))) : Gen.Constant<IEnumerable<EndpointSpec>>([])
        from target in Gen.Elements("example.com", "svc-0.alpha.svc.cluster.local", "1.2.3.4", "svc-1.beta.svc.cluster.local")
        from clientIp in Gen.Elements(false, false, true)
        from localIn in Gen.Elements(false, false, true)
        from localEx in Gen.Elements(false, true)
        select Build(i, ns, kind, dual, portCount, proto, named, eps4.Concat(eps6).ToList(), target, clientIp, localIn, localEx);

    private static ServiceSpec Build(int i, string ns, string kind, bool dual, int portCount, string proto, bool named, List<EndpointSpec> eps,
        string target, bool clientIp, bool localIn, bool localEx)
    {
        string name = "svc-" + i.ToString(CultureInfo.InvariantCulture);
        if (kind == "ExternalName") return new ServiceSpec(ns, name, kind, [], [], target, [], false, false, false, null);
        if (portCount == 0 && kind is "NodePort" or "LoadBalancer") portCount = 1;
        var ports = Enumerable.Range(0, portCount).Select(p => new PortSpec(named || portCount > 1 ? (p == 0 ? "http" : "dns") : null, 80 + p, p == 1 ? "UDP" : proto,
            kind is "NodePort" or "LoadBalancer" ? 30000 + i * 2 + p : null)).ToList();
        var ips = kind == "Headless" ? new List<string> { "None" } : dual ? [$"10.96.0.{i + 10}", $"fd00:96::{i + 10:x}"] : [$"10.96.0.{i + 10}"];
        return new ServiceSpec(ns, name, kind == "Headless" ? "ClusterIP" : kind, ips, ports, null, eps, clientIp && kind != "Headless", localIn, localEx,
            kind == "LoadBalancer" ? $"203.0.113.{i + 1}" : null);
    }

    public static Gen<ClusterSpec> Clusters =>
        from nsCount in Gen.Choose(1, 3)
        from serviceCount in Gen.Choose(1, 6)
        from services in Gen.CollectToSequence(Enumerable.Range(0, serviceCount).Select(Service))
        from podCount in Gen.Choose(0, 3)
        from pods in Gen.CollectToSequence(Enumerable.Range(0, podCount).Select(p =>
            from ns in Gen.Elements(NamespaceNames)
            from deleting in Gen.Elements(false, false, true)
            select new PodSpec(ns, "p" + p.ToString(CultureInfo.InvariantCulture), $"10.245.0.{p + 1}", deleting)))
        from podMode in Gen.Elements("disabled", "insecure", "verified")
        from ttl in Gen.Elements(5, 30, 0, 400)
        from restrict in Gen.Elements(false, false, true)
        from ignore in Gen.Elements(false, true)
        from fall in Gen.Elements(false, true)
        from epn in Gen.Elements(false, true)
        from noep in Gen.Elements(false, false, false, true)
        from lb in Gen.Elements(false, true)
        let namespaces = NamespaceNames.Take(nsCount).ToList()
        let svcs = services.Where(s => namespaces.Contains(s.Namespace) || s.Namespace == "alpha").ToList()
        select new ClusterSpec(namespaces, svcs, pods.ToList(), Nodes,
            new CorefileSpec(podMode, ttl, restrict ? ["alpha"] : [], ignore, fall, epn, noep, lb));

    public static Arbitrary<ClusterSpec> ArbitraryClusters => Arb.From(Clusters, s => s.Shrink());

    private static readonly string[] Types = ["A", "AAAA", "SRV", "TXT", "PTR", "CNAME", "NS", "SOA", "MX", "HINFO", "ANY", "AXFR"];

    /// <summary>Queries from a seed: names that exist, in every form, and their near misses.</summary>
    public static IEnumerable<(string Name, string Type)> Queries(ClusterSpec spec, int seed, int count)
    {
        var rnd = new Random(seed);
        var names = new List<string> { "cluster.local.", "svc.cluster.local.", "pod.cluster.local.", "dns-version.cluster.local.", "ns.dns.cluster.local.", "in-addr.arpa.", "example.org." };
        foreach (var ns in spec.Namespaces) { names.Add($"{ns}.svc.cluster.local."); names.Add($"{ns}.pod.cluster.local."); names.Add($"10-245-0-1.{ns}.pod.cluster.local."); }
        foreach (var p in spec.Pods) names.Add($"{p.Ip.Replace('.', '-')}.{p.Namespace}.pod.cluster.local.");
        foreach (var s in spec.Services)
        {
            var bas = $"{s.Name}.{s.Namespace}.svc.cluster.local.";
            names.Add(bas);
            foreach (var p in s.Ports) { names.Add($"_{p.Name ?? "x"}._{p.Protocol.ToLowerInvariant()}.{bas}"); names.Add($"{p.Name ?? "x"}.{p.Protocol.ToLowerInvariant()}.{bas}"); names.Add($"_._{p.Protocol.ToLowerInvariant()}.{bas}"); }
            foreach (var e in s.Endpoints)
            {
                names.Add($"{e.Hostname ?? e.Ip.Replace('.', '-').Replace(':', '-')}.{bas}");
                if (e.PodName is not null) names.Add($"{e.PodName}.{bas}");
                names.Add(FastPath.Reference.Dns.ReverseName.For(System.Net.IPAddress.Parse(e.Ip)));
            }
            foreach (var ip in s.ClusterIPs.Where(ip => ip != "None")) names.Add(FastPath.Reference.Dns.ReverseName.For(System.Net.IPAddress.Parse(ip)));
        }
        for (int i = 0; i < count; i++)
        {
            var name = names[rnd.Next(names.Count)];
            switch (rnd.Next(10))
            {
                case 0: name = new string(name.Select(c => rnd.Next(2) == 0 ? char.ToUpperInvariant(c) : c).ToArray()); break;
                case 1: name = name.TrimEnd('.'); break;
                case 2: name = "x." + name; break;
                case 3: name = name.Replace("svc-", "svc-9"); break; // one label off
                case 4: name = name.Replace("alpha", "beta"); break; // another namespace
                case 5: name = "*." + name; break;
            }
            yield return (name, Types[rnd.Next(Types.Length)]);
        }
    }
}
