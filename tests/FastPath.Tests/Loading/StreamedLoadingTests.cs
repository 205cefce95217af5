using System.Linq;
using System.Text;
using FastPath.Model;
using FastPath.Model.Loading;
using FastPath.TestData;
using Xunit;

namespace FastPath.Tests.Loading;

/// <summary>
/// The loader builds its trees from the YAML parser's events in one pass: JSON (kubectl's output) takes the same
/// path, aliases are the anchored node, and an alias that cannot be resolved is a located error, never a crash.
/// </summary>
public class StreamedLoadingTests
{
    [Fact]
    public void Kubectl_json_list_loads_the_same_cluster_as_the_yaml_it_was_printed_from()
    {
        var yaml = SyntheticCluster.Yaml(120, 3);
        var json = KubectlJson.FromYaml(yaml);
        Assert.StartsWith("{", json);
        var fromYaml = TestClusters.LoadResult(yaml).Cluster;
        var fromJson = TestClusters.LoadResult(json, path: "cluster.json");
        Assert.True(fromJson.Cluster is not null, string.Join("\n", fromJson.Diagnostics));
        Assert.Equal(120, fromJson.Cluster!.Services.Count);
        Assert.Equal(Describe(fromYaml!), Describe(fromJson.Cluster));
    }

    [Fact]
    public void A_json_field_of_the_wrong_type_is_reported_at_its_line_and_column()
    {
        var e = TestClusters.SingleError("""
            {"apiVersion": "v1", "kind": "List", "items": [
              {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "a", "namespace": "default"},
               "spec": {"ports": [{"port": "eighty"}]}}
            ]}
            """);
        Assert.Equal("test.yaml(3,32): error FP0005: items[0].spec.ports[0].port must be an integer", e.ToString());
    }

    [Fact]
    public void An_alias_to_a_node_that_contains_it_is_refused_at_the_alias()
    {
        var e = TestClusters.SingleError("apiVersion: v1\nkind: Service\nmetadata: &m {name: a, labels: *m}\nspec: {ports: [{port: 80}]}\n");
        Assert.Equal("test.yaml(3,32): error FP0001: YAML syntax error: the alias *m refers to a node that contains it", e.ToString());
    }

    [Fact]
    public void An_alias_used_in_two_places_gives_both_the_same_values()
    {
        var c = TestClusters.Load("""
            apiVersion: v1
            kind: Service
            metadata: {name: a, labels: &l {app: web, tier: front}, annotations: *l}
            spec: {selector: *l, ports: [{port: 80}]}
            """);
        Assert.Equal(["app=web", "tier=front"], c.Services[0].Selector!.Select(kv => kv.Key + "=" + kv.Value).Order());
        Assert.Equal(["app=web", "tier=front"], c.Services[0].Annotations.Select(kv => kv.Key + "=" + kv.Value).Order());
    }

    /// <summary>What a reader took from the manifests, one line per object (paths and lines left out).</summary>
    private static string Describe(Cluster c)
    {
        var sb = new StringBuilder();
        foreach (var s in c.Services)
            sb.Append($"svc {s.Meta.Namespace}/{s.Meta.Name} {s.Type} [{string.Join(",", s.ClusterIPs)}] {s.ExternalName} ")
              .AppendLine(string.Join(";", s.Ports.Select(p => $"{p.Name}:{p.Port}/{p.Protocol}->{p.TargetPort}{p.TargetPortName}")));
        foreach (var e in c.EndpointSlices)
            sb.Append($"slice {e.Meta.Namespace}/{e.Meta.Name} {e.ServiceName} {e.AddressType} ")
              .Append(string.Join(";", e.Ports.Select(p => $"{p.Name}:{p.Port}/{p.Protocol}"))).Append(' ')
              .AppendLine(string.Join(";", e.Endpoints.Select(x => $"{string.Join(",", x.Addresses)} {x.Ready} {x.NodeName}")));
        return sb.ToString();
    }
}
