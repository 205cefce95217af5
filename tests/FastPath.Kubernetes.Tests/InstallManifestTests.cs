using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using FastPath.Model.Loading;
using Xunit;
using YamlDotNet.RepresentationModel;

namespace FastPath.Kubernetes.Tests;

/// <summary>
/// manifests/install/: every document is a known kind with its required fields, every Corefile loads, and each
/// workload's service account is granted exactly list and watch on what the watcher lists for that workload's
/// arguments (taken from <see cref="WatchPlan"/>, the watcher's own plan).
/// </summary>
public sealed class InstallManifestTests
{
    private static readonly string Root = Path.Combine(AppContext.BaseDirectory, "install");

    private sealed record Doc(string File, YamlMappingNode Node)
    {
        public string Kind => Str("kind")!;
        public string? Str(string path) => Get(path) is YamlScalarNode s ? s.Value : null;
        public YamlNode? Get(string path) => Nav(Node, path);
        public string Name => Str("metadata.name")!;
        public string? Namespace => Str("metadata.namespace");
    }

    private static YamlNode? Nav(YamlNode node, string path)
    {
        foreach (var part in path.Split('.'))
        {
            if (node is not YamlMappingNode m || !m.Children.TryGetValue(new YamlScalarNode(part), out var next)) return null;
            node = next;
        }
        return node;
    }

    private static List<Doc> Load(params string[] files)
    {
        var docs = new List<Doc>();
        foreach (var file in files)
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(File.ReadAllText(Path.Combine(Root, file))));
            docs.AddRange(stream.Documents.Select(d => new Doc(file, (YamlMappingNode)d.RootNode)));
        }
        return docs;
    }

    private static readonly Dictionary<string, string> KnownKinds = new()
    {
        ["ServiceAccount"] = "v1", ["ConfigMap"] = "v1", ["Service"] = "v1", ["Deployment"] = "apps/v1", ["DaemonSet"] = "apps/v1",
        ["ClusterRole"] = "rbac.authorization.k8s.io/v1", ["ClusterRoleBinding"] = "rbac.authorization.k8s.io/v1",
        ["Role"] = "rbac.authorization.k8s.io/v1", ["RoleBinding"] = "rbac.authorization.k8s.io/v1",
    };

    private static string[] AllFiles() => Directory.GetFiles(Root, "*.yaml", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(Root, f)).OrderBy(f => f, StringComparer.Ordinal).ToArray();

    [Fact]
    public void Every_document_has_a_known_kind_and_its_required_fields()
    {
        var docs = Load(AllFiles());
        Assert.True(docs.Count >= 10);
        foreach (var d in docs)
        {
            string where = $"{d.File}: {d.Kind}/{d.Str("metadata.name")}";
            Assert.True(KnownKinds.TryGetValue(d.Kind, out var api), where + ": unknown kind");
            Assert.True(api == d.Str("apiVersion"), where + ": apiVersion " + d.Str("apiVersion"));
            Assert.False(string.IsNullOrEmpty(d.Str("metadata.name")), where + ": metadata.name");
            bool clusterScoped = d.Kind is "ClusterRole" or "ClusterRoleBinding";
            Assert.True(clusterScoped == (d.Namespace is null), where + ": metadata.namespace");
            switch (d.Kind)
            {
                case "Deployment" or "DaemonSet":
                    var labels = (YamlMappingNode)d.Get("spec.selector.matchLabels")!;
                    var podLabels = (YamlMappingNode)d.Get("spec.template.metadata.labels")!;
                    Assert.All(labels.Children, l => Assert.Equal(l.Value.ToString(), podLabels.Children[l.Key].ToString()));
                    var container = (YamlMappingNode)((YamlSequenceNode)d.Get("spec.template.spec.containers")!).Children[0];
                    Assert.False(string.IsNullOrEmpty(Nav(container, "image")?.ToString()), where + ": image");
                    Assert.Equal("/health", Nav(container, "livenessProbe.httpGet.path")?.ToString());
                    Assert.Equal("8080", Nav(container, "livenessProbe.httpGet.port")?.ToString());
                    Assert.Equal("/ready", Nav(container, "readinessProbe.httpGet.path")?.ToString());
                    Assert.Equal("8181", Nav(container, "readinessProbe.httpGet.port")?.ToString());
                    Assert.NotNull(d.Str("spec.template.spec.serviceAccountName"));
                    Assert.Contains("--in-cluster", Args(d));
                    break;
                case "Service":
                    Assert.NotEmpty((YamlSequenceNode)d.Get("spec.ports")!);
                    Assert.NotNull(d.Get("spec.selector"));
                    break;
                case "ClusterRole" or "Role":
                    Assert.NotEmpty((YamlSequenceNode)d.Get("rules")!);
                    break;
                case "ClusterRoleBinding" or "RoleBinding":
                    Assert.NotNull(d.Str("roleRef.name"));
                    Assert.NotEmpty((YamlSequenceNode)d.Get("subjects")!);
                    break;
                case "ConfigMap":
                    Assert.NotNull(d.Str("data.Corefile"));
                    break;
            }
        }
    }

    [Fact]
    public void Every_shipped_corefile_loads_and_the_listeners_the_probes_use_are_reachable_on_the_pod_address()
    {
        foreach (var map in Load(AllFiles()).Where(d => d.Kind == "ConfigMap"))
        {
            var result = ClusterLoader.LoadTexts([], new LoadOptions { CorefileText = map.Str("data.Corefile") });
            Assert.True(result.Cluster is not null, map.Name + ": " + string.Join("; ", result.Diagnostics));
            var plugins = result.Cluster!.Corefile.KubernetesBlock!.Plugins;
            Assert.DoesNotContain("localhost", plugins.Health!.Address, StringComparison.Ordinal);
            Assert.False(plugins.Health.Address.StartsWith(':'), map.Name + ": health on loopback only");
            Assert.False(plugins.Ready!.Address.StartsWith(':'), map.Name + ": ready on loopback only");
        }
    }

    public static TheoryData<string, string[], bool> Variants => new()
    {
        // workload, files applied, whether the Corefile needs pods
        { "Deployment/fastpath", ["rbac.yaml", "corefile.yaml", "deployment.yaml"], false },
        { "Deployment/fastpath", ["rbac.yaml", "corefile.yaml", "deployment.yaml", "options/pods-verified-rbac.yaml"], true },
        { "DaemonSet/fastpath-node-local", ["rbac.yaml", "node-local/daemonset.yaml"], false },
    };

    [Theory]
    [MemberData(nameof(Variants))]
    public void Rbac_grants_exactly_list_and_watch_on_what_the_watcher_lists(string workload, string[] files, bool podsNeeded)
    {
        var docs = Load(files);
        var w = docs.Single(d => d.Kind + "/" + d.Name == workload);
        Assert.Equal(Expected(Options(Args(w)), podsNeeded), Granted(docs, w));
    }

    [Fact]
    public void Without_a_corefile_the_coredns_configmap_rule_makes_the_grant_exact()
    {
        var docs = Load("rbac.yaml", "deployment.yaml", "options/coredns-configmap-rbac.yaml");
        var w = docs.Single(d => d.Kind == "Deployment");
        var args = Args(w).ToList();
        args.RemoveRange(args.IndexOf("--corefile"), 2);
        var expected = Expected(Options(args), false);
        Assert.Contains(expected, g => g.StartsWith("configmaps", StringComparison.Ordinal));
        Assert.Equal(expected, Granted(docs, w));
    }

    private static List<string> Args(Doc workload) =>
        ((YamlSequenceNode)Nav(((YamlSequenceNode)workload.Get("spec.template.spec.containers")!).Children[0], "args")!).Children.Select(c => c.ToString()).ToList();

    /// <summary>The options the CLI builds from these arguments, as far as they decide what is watched.</summary>
    private static FastPathKubernetesOptions Options(IReadOnlyList<string> args)
    {
        var options = new FastPathKubernetesOptions { InCluster = args.Contains("--in-cluster") };
        int i = args.ToList().IndexOf("--corefile");
        if (i >= 0) options.Load = new LoadOptions { CorefilePath = args[i + 1] };
        return options;
    }

    /// <summary>"resource.group [name]" for each stream of the watcher's plan.</summary>
    private static SortedSet<string> Expected(FastPathKubernetesOptions options, bool podsNeeded) =>
        new(WatchPlan.For(options, podsNeeded).Select(w => Grant(w.Api.Resource, w.Api.Group,
            w.Api.Namespaced && w.FieldSelector?.StartsWith("metadata.name=", StringComparison.Ordinal) == true ? w.FieldSelector["metadata.name=".Length..] : null)), StringComparer.Ordinal);

    private static string Grant(string resource, string group, string? name) => resource + "." + group + (name is null ? "" : " " + name);

    /// <summary>What the workload's service account may do, from every binding naming it; each rule must be exactly list and watch.</summary>
    private static SortedSet<string> Granted(List<Doc> docs, Doc workload)
    {
        var account = workload.Str("spec.template.spec.serviceAccountName")!;
        Assert.Contains(docs, d => d.Kind == "ServiceAccount" && d.Name == account && d.Namespace == workload.Namespace);
        var granted = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var binding in docs.Where(d => d.Kind is "ClusterRoleBinding" or "RoleBinding"))
        {
            var subjects = ((YamlSequenceNode)binding.Get("subjects")!).Children.Cast<YamlMappingNode>();
            if (!subjects.Any(s => Nav(s, "name")?.ToString() == account && Nav(s, "namespace")?.ToString() == workload.Namespace)) continue;
            var roleKind = binding.Str("roleRef.kind")!;
            var role = docs.Single(d => d.Kind == roleKind && d.Name == binding.Str("roleRef.name") && (roleKind == "ClusterRole" || d.Namespace == binding.Namespace));
            foreach (YamlMappingNode rule in ((YamlSequenceNode)role.Get("rules")!).Children.Cast<YamlMappingNode>())
            {
                Assert.Equal(["list", "watch"], Strings(rule, "verbs").OrderBy(v => v, StringComparer.Ordinal));
                var names = Strings(rule, "resourceNames");
                foreach (var group in Strings(rule, "apiGroups"))
                    foreach (var resource in Strings(rule, "resources"))
                        if (names.Count == 0) granted.Add(Grant(resource, group, null));
                        else foreach (var n in names) granted.Add(Grant(resource, group, n));
            }
        }
        return granted;
    }

    private static List<string> Strings(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var v) ? ((YamlSequenceNode)v).Children.Select(c => c.ToString()).ToList() : [];
}
