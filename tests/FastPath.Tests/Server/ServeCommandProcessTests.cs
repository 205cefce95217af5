using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using FastPath.Dns;
using FastPath.Dns.Wire;
using Xunit;

namespace FastPath.Tests.Server;

/// <summary><c>fastpath serve --watch</c> as an operator runs it: a real process, edited files, then SIGTERM.</summary>
public sealed class ServeCommandProcessTests
{
    private static string Service(string ip) =>
        $"apiVersion: v1\nkind: Service\nmetadata: {{name: web, namespace: default}}\nspec: {{clusterIP: {ip}, ports: [{{port: 80}}]}}\n";

    [Fact]
    public async Task Serve_watch_applies_edits_refuses_a_bad_one_and_stops_cleanly_on_sigterm()
    {
        var dir = Directory.CreateTempSubdirectory("fastpath-serve-");
        var manifests = Directory.CreateDirectory(Path.Combine(dir.FullName, "manifests")).FullName;
        var file = Path.Combine(manifests, "web.yaml");
        File.WriteAllText(file, Service("10.96.0.20"));
        var corefile = Path.Combine(dir.FullName, "Corefile");
        File.WriteAllText(corefile, ".:53 {\n  kubernetes cluster.local\n  health 127.0.0.1:0 {\n    lameduck 1s\n  }\n}\n");
        var psi = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "FastPath.Cli"),
            ["serve", "--manifests", manifests, "--corefile", corefile, "--watch", "--listen", "127.0.0.1:0", "--udp-loops", "1"])
        { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(psi)!;
        var stdout = new LineWaiter(process.StandardOutput);
        var stderr = new LineWaiter(process.StandardError);
        try
        {
            var banner = await stdout.WaitFor("listening on", TimeSpan.FromSeconds(60));
            Assert.Contains("in-memory snapshot engine, 1 services, watching the manifests", banner);
            var at = IPEndPoint.Parse(Regex.Match(banner, @"listening on (\S+) ").Groups[1].Value);
            string Ask() => DnsWireReader.ReadMessage(ServeHarness.Udp(at, DnsWireWriter.Query(1, "web.default.svc.cluster.local", DnsType.A)))!.Answer.Single().Data.ToText();
            Assert.Equal("10.96.0.20", Ask());

            File.WriteAllText(file, Service("10.96.0.21"));
            Assert.Equal("[INFO] watch: snapshot 2 (1 services changed, 9 names)", await stderr.WaitFor("[INFO] watch: snapshot 2", TimeSpan.FromSeconds(30)));
            Assert.Equal("10.96.0.21", Ask());

            File.WriteAllText(file, Service("not-an-ip"));
            var error = await stderr.WaitFor("[ERROR] watch:", TimeSpan.FromSeconds(30));
            Assert.Contains("the last good snapshot keeps serving", error);
            Assert.Equal("10.96.0.21", Ask());

            using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
                await kill.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
            await stdout.WaitFor("fastpath serve: stopped", TimeSpan.FromSeconds(30));
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
            Assert.Equal(0, process.ExitCode);
            Assert.Contains("stopping (lameduck, then draining)", stdout.All);
        }
        finally
        {
            if (!process.HasExited) process.Kill();
            dir.Delete(true);
        }
    }

    /// <summary>
    /// The reload plugin on each engine serve builds: the snapshot engine's snapshot keeps only the DNS tables (no
    /// model), the reference engine's keeps the model it interprets (without it every answer would be SERVFAIL).
    /// </summary>
    [Theory]
    [InlineData("snapshot")]
    [InlineData("reference")]
    public async Task Serve_reload_publishes_an_edit_and_keeps_the_running_snapshot_on_errors(string engine)
    {
        var dir = Directory.CreateTempSubdirectory("fastpath-serve-");
        var manifests = Directory.CreateDirectory(Path.Combine(dir.FullName, "manifests")).FullName;
        var file = Path.Combine(manifests, "web.yaml");
        File.WriteAllText(file, Service("10.96.0.20"));
        var corefile = Path.Combine(dir.FullName, "Corefile");
        File.WriteAllText(corefile, ".:53 {\n  kubernetes cluster.local\n  reload 2s\n}\n");
        var psi = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "FastPath.Cli"),
            ["serve", "--manifests", manifests, "--corefile", corefile, "--engine", engine, "--listen", "127.0.0.1:0", "--udp-loops", "1"])
        { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.Environment["FASTPATH_RELOAD_INTERVAL"] = "0.1";
        using var process = Process.Start(psi)!;
        var stdout = new LineWaiter(process.StandardOutput);
        var stderr = new LineWaiter(process.StandardError);
        try
        {
            var banner = await stdout.WaitFor("listening on", TimeSpan.FromSeconds(60));
            Assert.Matches(@"^  started in \d+\.\d\d s: manifests loaded in \d+\.\d\d s, snapshot built in \d+\.\d\d s, build garbage returned in \d+\.\d\d s$",
                await stdout.WaitFor("started in", TimeSpan.FromSeconds(30)));
            var at = IPEndPoint.Parse(Regex.Match(banner, @"listening on (\S+) ").Groups[1].Value);
            string Ask() => DnsWireReader.ReadMessage(ServeHarness.Udp(at, DnsWireWriter.Query(1, "web.default.svc.cluster.local", DnsType.A)))!.Answer.Single().Data.ToText();
            Assert.Equal("10.96.0.20", Ask());

            File.WriteAllText(file, Service("10.96.0.21"));
            await stderr.WaitFor("[INFO] plugin/reload: running the new configuration (1 services)", TimeSpan.FromSeconds(30));
            Assert.Equal("10.96.0.21", Ask());

            File.WriteAllText(file, Service("not-an-ip"));
            await stderr.WaitFor("[ERROR] plugin/reload: the new configuration has errors; the running one is kept:", TimeSpan.FromSeconds(30));
            Assert.Equal("10.96.0.21", Ask());
        }
        finally
        {
            if (!process.HasExited) process.Kill();
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
            dir.Delete(true);
        }
    }

    [Fact]
    public async Task Serve_without_listen_binds_what_the_corefile_says_and_says_so()
    {
        var dir = Directory.CreateTempSubdirectory("fastpath-serve-");
        var manifests = Directory.CreateDirectory(Path.Combine(dir.FullName, "manifests")).FullName;
        File.WriteAllText(Path.Combine(manifests, "web.yaml"), Service("10.96.0.20"));
        var corefile = Path.Combine(dir.FullName, "Corefile");
        int port = LoopbackPorts.Free(1)[0]; // a free port for the Corefile to name
        File.WriteAllText(corefile, $".:{port} {{\n  bind 127.0.0.1\n  kubernetes cluster.local\n}}\n");
        var psi = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "FastPath.Cli"),
            ["serve", "--manifests", manifests, "--corefile", corefile, "--udp-loops", "1"])
        { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(psi)!;
        var stdout = new LineWaiter(process.StandardOutput);
        try
        {
            var banner = await stdout.WaitFor("listening on", TimeSpan.FromSeconds(60));
            Assert.Contains($"listening on 127.0.0.1:{port} (udp batched, tcp; from the Corefile)", banner);
            var reply = ServeHarness.Udp(new IPEndPoint(IPAddress.Loopback, port), DnsWireWriter.Query(1, "web.default.svc.cluster.local", DnsType.A));
            Assert.Equal("10.96.0.20", DnsWireReader.ReadMessage(reply)!.Answer.Single().Data.ToText());
        }
        finally
        {
            if (!process.HasExited) process.Kill();
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
            dir.Delete(true);
        }
    }

    [Fact]
    public void Serve_with_a_bind_argument_that_is_no_interface_exits_1_naming_the_corefile_line()
    {
        var dir = Directory.CreateTempSubdirectory("fastpath-serve-");
        try
        {
            var manifests = Directory.CreateDirectory(Path.Combine(dir.FullName, "manifests")).FullName;
            File.WriteAllText(Path.Combine(manifests, "web.yaml"), Service("10.96.0.20"));
            var corefile = Path.Combine(dir.FullName, "Corefile");
            File.WriteAllText(corefile, ".:53 {\n  bind noone\n  kubernetes cluster.local\n}\n");
            var (o, e) = (new StringWriter(), new StringWriter());
            Assert.Equal(1, FastPath.Cli.Program.Run(["serve", "--manifests", manifests, "--corefile", corefile], o, e));
            Assert.Contains($"fastpath serve: {corefile}(2,3): bind: not a valid IP address or interface name: \"noone\"", e.ToString());
        }
        finally { dir.Delete(true); }
    }

    /// <summary>Collects a stream's lines and lets a test wait for the first containing a text.</summary>
    internal sealed class LineWaiter
    {
        private readonly System.Collections.Generic.List<string> _lines = new();
        private readonly object _gate = new();
        private TaskCompletionSource _more = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public LineWaiter(StreamReader reader) => _ = Task.Run(async () =>
        {
            string? line;
            while ((line = await reader.ReadLineAsync()) is not null)
                lock (_gate) { _lines.Add(line); _more.TrySetResult(); _more = new(TaskCreationOptions.RunContinuationsAsynchronously); }
            lock (_gate) _more.TrySetResult();
        });

        public string All { get { lock (_gate) return string.Join("\n", _lines); } }

        public async Task<string> WaitFor(string text, TimeSpan timeout)
        {
            var deadline = DateTime.UtcNow + timeout;
            while (true)
            {
                Task more;
                lock (_gate)
                {
                    var hit = _lines.FirstOrDefault(l => l.Contains(text, StringComparison.Ordinal));
                    if (hit is not null) return hit;
                    more = _more.Task;
                }
                var left = deadline - DateTime.UtcNow;
                try { await more.WaitAsync(left > TimeSpan.Zero ? left : TimeSpan.Zero); }
                catch (TimeoutException) { throw new Xunit.Sdk.XunitException($"no line with '{text}' within {timeout}; got:\n{All}"); }
            }
        }
    }
}
