using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using FastPath.Kubernetes.Tests.FakeApi;
using Xunit;
using static FastPath.Kubernetes.Tests.FakeApi.ApiObjects;

namespace FastPath.Kubernetes.Tests;

/// <summary><c>fastpath serve --kubeconfig FILE</c> as a user runs it, asked with dig, following the fake API server.</summary>
public sealed class ServeKubeconfigTests
{
    [Fact]
    public async Task Serve_with_a_kubeconfig_answers_servfail_until_synced_then_follows_changes()
    {
        await using var api = await FakeApiServer.StartAsync();
        api.Apply(Namespace("default"));
        api.Apply(Service("default", "web", "10.96.0.10"));
        api.Apply(Slice("default", "web-1", "web", [new Ep("10.0.0.1")]));
        api.Down = true; // the first lists fail: the server must not answer from an empty cluster

        var dir = Directory.CreateTempSubdirectory("fastpath-kube-");
        var kubeconfig = Path.Combine(dir.FullName, "config");
        File.WriteAllText(kubeconfig, $"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: fake
              cluster:
                server: {api.BaseUri.ToString().TrimEnd('/')}
            users:
            - name: tester
              user:
                token: not-checked
            contexts:
            - name: fake
              context:
                cluster: fake
                user: tester
            current-context: fake
            """);
        int port = FastPath.Tests.Server.LoopbackPorts.Free(1)[0];
        var cli = CliPath();
        var psi = new ProcessStartInfo("dotnet", ["exec", cli, "serve", "--kubeconfig", kubeconfig, "--listen", "127.0.0.1:" + port.ToString(CultureInfo.InvariantCulture)])
        { RedirectStandardOutput = true, RedirectStandardError = true };
        using var serve = Process.Start(psi)!;
        var stdout = new LineWaiter(serve.StandardOutput);
        var stderr = new LineWaiter(serve.StandardError);
        try
        {
            await stdout.WaitFor("listening on", "the server to listen", stderr);
            var before = Dig(port, "web.default.svc.cluster.local");
            Assert.Contains("status: SERVFAIL", before);

            api.Down = false;
            await stdout.WaitFor("synced with the API server", "the first sync", stderr);
            var synced = Dig(port, "web.default.svc.cluster.local");
            Assert.Contains("status: NOERROR", synced);
            Assert.Matches(@"web\.default\.svc\.cluster\.local\.\s+\d+\s+IN\s+A\s+10\.96\.0\.10", synced);

            api.Apply(Service("default", "web", "10.96.0.99"));
            var changed = await DigUntil(port, "web.default.svc.cluster.local", "10.96.0.99");
            Assert.Matches(@"web\.default\.svc\.cluster\.local\.\s+\d+\s+IN\s+A\s+10\.96\.0\.99", changed);
            Assert.DoesNotContain("10.96.0.10", changed);
        }
        finally
        {
            using (var kill = Process.Start("kill", ["-TERM", serve.Id.ToString(CultureInfo.InvariantCulture)])) kill.WaitForExit();
            if (!serve.WaitForExit(10_000)) serve.Kill();
            dir.Delete(true);
        }
        Assert.Equal(0, serve.ExitCode);
    }

    /// <summary>
    /// The CLI in its own build output: the copy beside the tests lacks the Microsoft.Extensions assemblies that this
    /// ASP.NET Core test project takes from the shared framework.
    /// </summary>
    private static string CliPath()
    {
        var here = Path.GetDirectoryName(typeof(ServeKubeconfigTests).Assembly.Location)!; // tests/X/bin/<config>/<tfm>
        var tfm = Path.GetFileName(here);
        var config = Path.GetFileName(Path.GetDirectoryName(here)!);
        var root = new DirectoryInfo(here);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "FastPath.sln"))) root = root.Parent;
        var cli = Path.Combine(root!.FullName, "src", "FastPath.Cli", "bin", config, tfm, "FastPath.Cli.dll");
        Assert.True(File.Exists(cli), "the CLI is built with the tests: " + cli);
        return cli;
    }

    private static string Dig(int port, string name)
    {
        var psi = new ProcessStartInfo("dig", ["@127.0.0.1", "-p", port.ToString(CultureInfo.InvariantCulture), name, "+tries=1", "+time=3"]) { RedirectStandardOutput = true };
        Process p;
        try { p = Process.Start(psi)!; }
        catch (System.ComponentModel.Win32Exception) { throw new Xunit.Sdk.XunitException("dig is not installed: apt-get install -y dnsutils (.ci/run does)"); }
        using (p)
        {
            var text = p.StandardOutput.ReadToEnd();
            p.WaitForExit();
            return text;
        }
    }

    /// <summary>The watch event reaches the server asynchronously: ask again, briefly, until the answer changes.</summary>
    private static async Task<string> DigUntil(int port, string name, string expected)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        string text;
        while (!(text = Dig(port, name)).Contains(expected, StringComparison.Ordinal) && DateTime.UtcNow < deadline)
            await Task.Delay(50);
        return text;
    }

    /// <summary>Reads a process's output as it comes, so a test can wait for a line without polling.</summary>
    private sealed class LineWaiter
    {
        private readonly System.Text.StringBuilder _text = new();
        private readonly object _gate = new();
        private event Action? Line;

        public LineWaiter(StreamReader reader) => _ = Task.Run(async () =>
        {
            while (await reader.ReadLineAsync() is { } line)
            {
                lock (_gate) _text.AppendLine(line);
                Line?.Invoke();
            }
        });

        public override string ToString() { lock (_gate) return _text.ToString(); }

        public async Task WaitFor(string fragment, string what, LineWaiter other)
        {
            var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            void Check() { if (ToString().Contains(fragment, StringComparison.Ordinal)) seen.TrySetResult(); }
            Line += Check;
            try
            {
                Check();
                await seen.Task.WaitAsync(TimeSpan.FromSeconds(30));
            }
            catch (TimeoutException) { throw new TimeoutException($"timed out waiting for {what}; stdout: {this}; stderr: {other}"); }
            finally { Line -= Check; }
        }
    }
}
