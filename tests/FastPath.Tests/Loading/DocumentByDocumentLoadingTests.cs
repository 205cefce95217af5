using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using FastPath.Model;
using FastPath.Model.Diagnostics;
using FastPath.Model.Loading;
using FastPath.TestData;
using Xunit;

namespace FastPath.Tests.Loading;

/// <summary>
/// <c>LoadTexts</c> reads each document as soon as it is scanned and drops its tree, and a file the fast reader
/// declines half-way is read again from its start by the YamlDotNet pass. It must give exactly the cluster and the
/// diagnostics (file, line, column, text, order) of loading the files scanned whole by YamlDotNet.
/// </summary>
public sealed class DocumentByDocumentLoadingTests
{
    private static readonly LoadOptions Options = new() { CorefileText = ".:53 {\n  kubernetes cluster.local\n}\n" };

    /// <summary>The load before document-by-document reading: every file scanned whole by YamlDotNet, then read.</summary>
    private static LoadResult WholeFilesWithYamlDotNet(IEnumerable<ManifestText> files)
    {
        var parsed = files.Select(f =>
        {
            var bag = new DiagnosticBag();
            return new ParsedManifest(f, ManifestScanner.Scan(f, Options.Limits, bag, fastReader: false), bag.Sorted());
        });
        return ClusterLoader.LoadParsed(parsed, Options);
    }

    private static string Show(LoadResult r) =>
        string.Join("\n", r.Diagnostics.Select(d => d.ToString())) + "\n--- cluster:\n" + (r.Cluster is not { } c ? "none" :
            JsonSerializer.Serialize(new { c.Namespaces, c.Services, c.EndpointSlices, c.Pods, c.Nodes, Corefile = c.Corefile.Text, c.ContentHash }));

    private static void AssertSame(params ManifestText[] files)
    {
        var expected = Show(WholeFilesWithYamlDotNet(files));
        var actual = Show(ClusterLoader.LoadTexts(files, Options));
        Assert.Equal(expected, actual);
    }

    private const string Good = """
        apiVersion: v1
        kind: Service
        metadata: {name: web, namespace: shop}
        spec:
          type: NodePort
          ports:
          - {name: http, port: 80, nodePort: 30080}
        ---
        apiVersion: discovery.k8s.io/v1
        kind: EndpointSlice
        metadata: {name: web-1, namespace: shop, labels: {kubernetes.io/service-name: web}}
        addressType: IPv4
        ports: [{name: http, port: 8080}]
        endpoints:
        - {addresses: [10.1.0.1], conditions: {ready: true}, nodeName: n1}
        - {addresses: [127.0.0.1, 169.254.1.1, 10.1.0.01], nodeName: Bad_Node}
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: web, namespace: shop}
        spec: {ports: [{port: 81}]}
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: api, namespace: shop}
        spec: {type: NodePort, ports: [{port: 90, nodePort: 30080}, {port: 91, nodePort: notanumber}]}
        ---
        apiVersion: v1
        kind: Namespace
        metadata: {name: shop}
        ---
        apiVersion: v1
        kind: Widget
        metadata: {name: w}
        """;

    [Fact]
    public void A_file_the_fast_reader_reads_whole_loads_as_before()
    {
        Assert.NotNull(FastYamlReader.TryRead(Good, new ManifestLimits()));
        AssertSame(new ManifestText("a.yaml", Good));
    }

    [Fact]
    public void A_file_declined_after_its_first_documents_are_read_is_read_again_and_reported_once()
    {
        // The anchor in the last document makes the fast reader decline only after handing out the others, whose
        // duplicate Service, clashing nodePort and bad endpoints were already reported to the forgotten bag.
        var text = Good + "\n---\napiVersion: v1\nkind: Service\nmetadata: &m {name: late, namespace: shop}\nspec: {ports: [{port: 1}]}\n";
        Assert.Null(FastYamlReader.TryRead(text, new ManifestLimits()));
        var handedOut = 0;
        Assert.False(FastYamlReader.TryRead(text, new ManifestLimits(), _ => { handedOut++; return true; }));
        Assert.Equal(6, handedOut);
        AssertSame(new ManifestText("a.yaml", text));
        var r = ClusterLoader.LoadTexts([new ManifestText("a.yaml", text)], Options);
        Assert.Single(r.Diagnostics, d => d.Id == "FP0007");
    }

    [Fact]
    public void Files_that_clash_with_each_other_load_as_before_in_any_order()
    {
        var other = "apiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: shop}\nspec: {clusterIP: 10.96.0.10, ports: [{port: 80}]}\n---\n" +
            "apiVersion: v1\nkind: List\nitems:\n- {apiVersion: v1, kind: Service, metadata: {name: db, namespace: shop}, spec: {clusterIP: 10.96.0.10, ports: [{port: 5432}]}}\n- {apiVersion: v1, kind: Pod, metadata: {name: p, namespace: shop}}\n";
        var broken = "apiVersion: v1\nkind: Service\nmetadata: {name: x\n";
        AssertSame(new ManifestText("b.yaml", other), new ManifestText("a.yaml", Good), new ManifestText("c.yaml", broken));
    }

    [Theory]
    // kubectl get -o yaml: a List of block mappings, with a null item and one that is no object, then a document.
    [InlineData("apiVersion: v1\nitems:\n- apiVersion: v1\n  kind: Service\n  metadata: {name: a}\n  spec: {ports: [{port: 80}]}\n-\n- just text\n- {apiVersion: v1, kind: Service, metadata: {name: a}, spec: {ports: [{port: x}]}}\nkind: List\nmetadata: {resourceVersion: \"\"}\n---\napiVersion: v1\nkind: Service\nmetadata: {name: b}\nspec: {ports: [{port: 80}]}\n")]
    // A root with items that is no List: its items are not objects of the cluster, so the file is read again whole.
    [InlineData("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\nitems: [{apiVersion: v1, kind: Service, metadata: {name: a}, spec: {ports: [{port: 80}]}}]\n")]
    [InlineData("{\"apiVersion\": \"v1\", \"items\": [{\"apiVersion\": \"v1\", \"kind\": \"Service\", \"metadata\": {\"name\": \"a\"}}], \"kind\": [\"List\"]}\n")]
    [InlineData("{\"items\": [{\"apiVersion\": \"v1\", \"kind\": \"Pod\", \"metadata\": {\"name\": \"p\"}}], \"kind\": \"PodList\"}\n")]
    // A List in a List, and an items list that is not the root's.
    [InlineData("apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: List\n  items: [{apiVersion: v1, kind: Node, metadata: {name: n}}]\n- {apiVersion: v1, kind: Widget, spec: {items: [1, 2]}}\n")]
    public void Lists_read_item_by_item_load_as_before(string text)
    {
        AssertSame(new ManifestText("list.yaml", text));
    }

    [Fact]
    public void The_synthetic_cluster_and_its_kubectl_json_load_as_before()
    {
        var yaml = SyntheticCluster.Yaml(150, 3);
        AssertSame(new ManifestText("s.yaml", yaml));
        AssertSame(new ManifestText("s.json", KubectlJson.FromYaml(yaml)));
    }

    [Fact]
    public void Every_manifest_and_test_fixture_loads_as_before()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "FastPath.sln"))) dir = dir.Parent;
        Assert.NotNull(dir);
        var files = new[] { "manifests", "tests" }
            .SelectMany(r => Directory.GetFiles(Path.Combine(dir!.FullName, r), "*", SearchOption.AllDirectories))
            .Where(f => f.EndsWith(".yaml", StringComparison.Ordinal) || f.EndsWith(".yml", StringComparison.Ordinal) || f.EndsWith(".json", StringComparison.Ordinal))
            .Where(f => !f.Contains("/bin/", StringComparison.Ordinal) && !f.Contains("/obj/", StringComparison.Ordinal))
            .OrderBy(f => f, StringComparer.Ordinal)
            .Select(f => new ManifestText(Path.GetRelativePath(dir!.FullName, f), File.ReadAllText(f)))
            .ToList();
        Assert.True(files.Count > 10, "the corpus was not found");
        foreach (var f in files) AssertSame(f);
        AssertSame(files.ToArray()); // all at once: duplicates and clashes across files
    }
}
