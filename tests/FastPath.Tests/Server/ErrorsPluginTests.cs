using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using FastPath.Dns;
using FastPath.Dns.Wire;
using FastPath.Live;
using FastPath.Model.Corefile.Plugins;
using FastPath.Server;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace FastPath.Tests.Server;

/// <summary>
/// The errors plugin as coredns plugin/errors/errors.go logs: one line per error a plugin returns, consolidate folding
/// repeats per period (timed with a fake clock), show_first, levels; and the server's recovery of a faulting engine.
/// </summary>
public sealed class ErrorsPluginTests : ServeHarness
{
    private const string Timeout = "read udp 127.0.0.1:40000->192.0.2.53:53: i/o timeout";

    private static (ErrorsPlugin Plugin, StringWriter Out, FakeTimeProvider Time) Plugin(params ErrorsConsolidation[] consolidate)
    {
        var time = new FakeTimeProvider();
        var output = new StringWriter();
        return (new ErrorsPlugin(new ErrorsOptions(false) { Consolidate = consolidate }, output, time), output, time);
    }

    private static string[] Lines(StringWriter w) => w.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);

    [Fact]
    public void Each_error_is_logged_with_rcode_name_and_type_as_coredns_writes_it()
    {
        var (plugin, output, _) = Plugin();
        plugin.Report(2, "example.org.", "A", Timeout);
        plugin.Report(2, "example.net.", "AAAA", "no healthy proxies");
        Assert.Equal([$"[ERROR] plugin/errors: 2 example.org. A: {Timeout}", "[ERROR] plugin/errors: 2 example.net. AAAA: no healthy proxies"], Lines(output));
    }

    [Fact]
    public void Consolidate_folds_matching_errors_into_one_line_per_period_at_its_level()
    {
        var (plugin, output, time) = Plugin(new ErrorsConsolidation(TimeSpan.FromSeconds(30), "i/o timeout$", "warning", false));
        for (int i = 0; i < 3; i++) plugin.Report(2, "example.org.", "A", Timeout);
        plugin.Report(2, "example.org.", "A", "no healthy proxies"); // matches no pattern: logged at once
        Assert.Equal(["[ERROR] plugin/errors: 2 example.org. A: no healthy proxies"], Lines(output));
        time.Advance(TimeSpan.FromSeconds(29));
        Assert.Single(Lines(output));
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal("[WARNING] plugin/errors: 3 errors like 'i/o timeout$' occurred in last 30s", Lines(output)[^1]);
        // The next error starts a new period.
        plugin.Report(2, "example.org.", "A", Timeout);
        time.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal("[WARNING] plugin/errors: 1 errors like 'i/o timeout$' occurred in last 30s", Lines(output)[^1]);
        Assert.Equal(3, Lines(output).Length);
    }

    [Fact]
    public void Show_first_logs_the_first_error_of_a_period_and_a_summary_only_when_more_followed()
    {
        var (plugin, output, time) = Plugin(new ErrorsConsolidation(TimeSpan.FromMinutes(5), "timeout", "warning", true));
        plugin.Report(2, "example.org.", "A", Timeout);
        time.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal([$"[WARNING] plugin/errors: 2 example.org. A: {Timeout}"], Lines(output)); // one error: no summary
        for (int i = 0; i < 3; i++) plugin.Report(2, "example.org.", "A", Timeout);
        time.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal([$"[WARNING] plugin/errors: 2 example.org. A: {Timeout}", $"[WARNING] plugin/errors: 2 example.org. A: {Timeout}",
            "[WARNING] plugin/errors: 3 errors like 'timeout' occurred in last 5m0s"], Lines(output));
    }

    [Fact]
    public void The_first_matching_pattern_takes_an_error_and_pending_counts_are_written_on_stop()
    {
        var (plugin, output, _) = Plugin(
            new ErrorsConsolidation(TimeSpan.FromHours(1), "^read udp", "error", false),
            new ErrorsConsolidation(TimeSpan.FromSeconds(10), "timeout", "info", false));
        plugin.Report(2, "example.org.", "A", Timeout);
        plugin.Report(2, "example.org.", "A", "dial tcp: timeout");
        Assert.Empty(Lines(output));
        plugin.Dispose();
        Assert.Equal(["[ERROR] plugin/errors: 1 errors like '^read udp' occurred in last 1h0m0s", "[INFO] plugin/errors: 1 errors like 'timeout' occurred in last 10s"], Lines(output));
        plugin.Report(2, "example.org.", "A", Timeout); // stopped: no longer consolidated, logged at once as upstream
        Assert.Equal($"[ERROR] plugin/errors: 2 example.org. A: {Timeout}", Lines(output)[^1]);
    }

    [Theory]
    [InlineData(30_000, "30s")]
    [InlineData(300_000, "5m0s")]
    [InlineData(3_600_000, "1h0m0s")]
    [InlineData(90_500, "1m30.5s")]
    [InlineData(1_500, "1.5s")]
    [InlineData(500, "500ms")]
    public void Periods_are_written_as_go_writes_durations(int milliseconds, string text) =>
        Assert.Equal(text, ErrorsPlugin.GoDuration(TimeSpan.FromMilliseconds(milliseconds)));

    [Fact]
    public void The_server_logs_a_name_no_plugin_takes_and_a_forward_without_upstream_through_the_errors_plugin()
    {
        var resolv = Path.GetTempFileName(); // a resolv.conf without nameservers: forward has no upstream
        try
        {
            var cluster = TestClusters.Load("apiVersion: v1\nkind: Namespace\nmetadata: {name: default}\n",
                $".:53 {{\n  errors\n  kubernetes cluster.local\n}}\nexample.net:53 {{\n  errors\n  forward . {resolv}\n}}\n");
            var log = new StringWriter();
            var server = Start(cluster, o => o.QueryLog = log);
            var reply = Udp(server.Bound, DnsWireWriter.Query(1, "www.example.org", DnsType.A));
            Assert.Equal((int)Rcode.ServFail, reply[3] & 0xF);
            Assert.Equal("[ERROR] plugin/errors: 2 www.example.org. A: plugin/kubernetes: no next plugin found", Lines(log).Single());

            var forwarding = Start(cluster, o => { o.QueryLog = log; o.Plugins = cluster.Corefile.ServerBlocks[1].Plugins; });
            reply = Udp(forwarding.Bound, DnsWireWriter.Query(2, "www.example.net", DnsType.AAAA));
            Assert.Equal((int)Rcode.ServFail, reply[3] & 0xF);
            Assert.Equal("[ERROR] plugin/errors: 2 www.example.net. AAAA: no healthy proxies", Lines(log)[^1]);
        }
        finally { File.Delete(resolv); }
    }

    [Fact]
    public void Without_the_errors_plugin_nothing_is_logged()
    {
        var cluster = TestClusters.Load("apiVersion: v1\nkind: Namespace\nmetadata: {name: default}\n", ".:53 {\n  kubernetes cluster.local\n}\n");
        var log = new StringWriter();
        var server = Start(cluster, o => o.QueryLog = log);
        Assert.Equal((int)Rcode.ServFail, Udp(server.Bound, DnsWireWriter.Query(1, "www.example.org", DnsType.A))[3] & 0xF);
        Assert.Empty(log.ToString());
    }

    [Fact]
    public async System.Threading.Tasks.Task An_engine_that_throws_is_recovered_logged_with_its_stack_under_stacktrace_and_answered_servfail()
    {
        var cluster = TestClusters.Load("apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec: {clusterIP: 10.96.0.20, ports: [{port: 80}]}\n",
            ".:53 {\n  errors {\n    stacktrace\n  }\n  kubernetes cluster.local\n}\n");
        var built = ClusterSnapshot.Build(cluster);
        // A model whose Services fault once the snapshot is made: the reference engine reads them on its first query.
        var faulty = new Model.Cluster(cluster.Namespaces, new FaultAfterFirstUse<Model.Service>(cluster.Services), cluster.EndpointSlices, cluster.Pods, cluster.Nodes, cluster.Corefile, cluster.ContentHash);
        var snapshot = new ClusterSnapshot(1, built.Dns, built.DataPlane, built.Environment, faulty, built.CreatedAt);
        var errors = new StringWriter();
        var options = new DnsServerOptions { UdpLoops = 1, Engine = DnsEngineKind.Reference, QueryLog = TextWriter.Null, Plugins = cluster.Corefile.ServerBlocks[0].Plugins };
        options.Endpoints.Add(new IPEndPoint(IPAddress.Loopback, 0));
        await using var server = new DnsServer(new SnapshotPublisher(snapshot), options, errors);
        await server.StartAsync();
        for (int id = 1; id <= 2; id++)
        {
            var reply = Udp(server.Bound, DnsWireWriter.Query((ushort)id, "web.default.svc.cluster.local", DnsType.A));
            Assert.Equal((int)Rcode.ServFail, reply[3] & 0xF); // answered, and the loop still serves the next query
            Assert.Equal(id, reply[1]);
        }
        var text = errors.ToString();
        Assert.StartsWith($"[ERROR] Recovered from panic in server: \"dns://{server.Bound}\" injected fault", text);
        Assert.Contains(nameof(FaultAfterFirstUse<int>.GetEnumerator), text); // the stack, under stacktrace
    }

    /// <summary>A list that can be read once (the model's constructor) and faults on every later read.</summary>
    private sealed class FaultAfterFirstUse<T>(IReadOnlyList<T> inner) : IReadOnlyList<T>
    {
        private int _uses;
        public T this[int index] => inner[index];
        public int Count => inner.Count;
        public IEnumerator<T> GetEnumerator() => ++_uses > 1 ? throw new InvalidOperationException("injected fault") : inner.GetEnumerator();
        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
