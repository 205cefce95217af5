using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using FastPath.Cli;
using FastPath.Cli.Commands;
using FastPath.Dns;
using FastPath.Live;
using FastPath.Tests.Compiled;
using Xunit;

namespace FastPath.Tests.Cli;

/// <summary>What <c>fastpath serve</c> holds between start and stop: the snapshot it builds from the manifests, and the reload plugin's rebuilds.</summary>
public sealed class ServeSnapshotTests
{
    private static CliArgs Args(params string[] argv) => new(argv, new HashSet<string>(StringComparer.Ordinal) { "--watch" });

    private static string Service(string ip) =>
        $"apiVersion: v1\nkind: Service\nmetadata: {{name: web, namespace: default}}\nspec: {{clusterIP: {ip}, ports: [{{port: 80}}]}}\n";

    private static string Answer(ClusterSnapshot s, string name) => CompiledClusters.Describe(s.Dns.Resolve(new DnsQuery(name, DnsType.A)));

    [Fact]
    public void The_snapshot_engine_holds_only_the_dns_tables_and_the_reference_engine_the_model_too()
    {
        var snapshot = ServeCommand.LoadManifests(Args("--manifests", TestClusters.DemoPath), "snapshot", [], build: true, TextWriter.Null)!;
        Assert.Null(snapshot.Snapshot!.Cluster);
        Assert.Empty(snapshot.Snapshot.DataPlane.Ports);
        var reference = ServeCommand.LoadManifests(Args("--manifests", TestClusters.DemoPath), "reference", [], build: true, TextWriter.Null)!;
        Assert.NotNull(reference.Snapshot!.Cluster);
        Assert.Equal(reference.Snapshot.Cluster!.ContentHash, snapshot.ContentHash);
        Assert.Equal(reference.Snapshot.Cluster.Services.Count, snapshot.Services);
        Assert.Equal(Answer(reference.Snapshot, "my-service.default.svc.cluster.local"), Answer(snapshot.Snapshot, "my-service.default.svc.cluster.local"));
    }

    [Fact]
    public void Watch_builds_its_own_snapshots_so_the_first_load_builds_none()
    {
        var first = ServeCommand.LoadManifests(Args("--manifests", TestClusters.DemoPath), "snapshot", [], build: false, TextWriter.Null)!;
        Assert.Null(first.Snapshot);
        Assert.NotNull(first.Corefile.KubernetesBlock);
    }

    [Fact]
    public void Reload_publishes_only_changed_manifests_and_keeps_the_running_snapshot_on_errors()
    {
        var dir = Directory.CreateTempSubdirectory("fastpath-reload-");
        try
        {
            var file = Path.Combine(dir.FullName, "web.yaml");
            File.WriteAllText(file, Service("10.96.0.20"));
            var args = Args("--manifests", dir.FullName);
            var first = ServeCommand.LoadManifests(args, "snapshot", [], build: true, TextWriter.Null)!;
            var publisher = new SnapshotPublisher(first.Snapshot!);
            string? hash = first.ContentHash;
            long version = 1;
            var err = new StringWriter();

            Assert.False(ServeCommand.Reload(args, "snapshot", [], publisher, ref hash, ref version, err));
            Assert.Same(first.Snapshot, publisher.Current);

            File.WriteAllText(file, Service("10.96.0.21"));
            Assert.True(ServeCommand.Reload(args, "snapshot", [], publisher, ref hash, ref version, err));
            Assert.Equal(2, publisher.Current!.Version);
            Assert.Null(publisher.Current.Cluster);
            var answer = Answer(publisher.Current, "web.default.svc.cluster.local");
            Assert.Contains("10.96.0.21", answer);
            Assert.DoesNotContain("10.96.0.20", answer);
            Assert.Equal("[INFO] plugin/reload: running the new configuration (1 services)", err.ToString().Trim());

            var running = publisher.Current;
            File.WriteAllText(file, Service("not-an-ip"));
            Assert.False(ServeCommand.Reload(args, "snapshot", [], publisher, ref hash, ref version, err));
            Assert.Same(running, publisher.Current);
            Assert.Contains("[ERROR] plugin/reload: the new configuration has errors; the running one is kept:", err.ToString());
        }
        finally { dir.Delete(true); }
    }
}
