using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using FastPath.Dns;
using FastPath.Kubernetes.Tests.FakeApi;
using FastPath.Live;
using k8s;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace FastPath.Kubernetes.Tests;

/// <summary>A fake API server and a source following it through the real KubernetesClient.</summary>
internal sealed class LiveHarness : IAsyncDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30); // a bound, not a wait: CI machines are shared and slow

    public required FakeApiServer Api { get; init; }
    public required KubernetesClusterSource Source { get; init; }
    public required TestLogger Log { get; init; }
    public FakeTimeProvider? Time { get; init; }

    /// <param name="seed">Objects the cluster holds before the source starts.</param>
    /// <param name="meters">The factory the source's meters come from: a test reading them filters by it (their scope), since
    /// other tests' sources publish instruments of the same name in the same process at the same time.</param>
    public static async Task<LiveHarness> StartAsync(Action<FakeApiServer>? seed = null, Action<FastPathKubernetesOptions>? configure = null, FakeTimeProvider? time = null,
        System.Diagnostics.Metrics.IMeterFactory? meters = null)
    {
        var api = await FakeApiServer.StartAsync();
        seed?.Invoke(api);
        var options = new FastPathKubernetesOptions
        {
            Configuration = new KubernetesClientConfiguration { Host = api.BaseUri.ToString() },
            // A real (1 ms) debounce: LiveCluster publishes inside Replace after each object when the debounce is zero, and
            // a relist must publish once. Under a fake clock a zero debounce publishes without advancing time.
            Debounce = time is null ? TimeSpan.FromMilliseconds(1) : TimeSpan.Zero,
            InitialBackoff = TimeSpan.FromMilliseconds(20),
            MaxBackoff = TimeSpan.FromMilliseconds(200),
        };
        configure?.Invoke(options);
        var log = new TestLogger();
        var source = new KubernetesClusterSource(options, new k8s.Kubernetes(options.Configuration), time, log, meters);
        await source.StartAsync(CancellationToken.None);
        return new LiveHarness { Api = api, Source = source, Log = log, Time = time };
    }

    /// <summary>Waits (on the change token, never sleeping) until the current snapshot satisfies <paramref name="condition"/>.</summary>
    public async Task<ClusterSnapshot> WaitFor(Func<ClusterSnapshot, bool> condition, string what)
    {
        using var cts = new CancellationTokenSource(Timeout);
        while (true)
        {
            var token = Source.GetChangeToken();
            var changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            using var reg = token.RegisterChangeCallback(_ => changed.TrySetResult(), null);
            if (Source.Current is { } s && condition(s)) return s;
            try { await changed.Task.WaitAsync(cts.Token); }
            catch (OperationCanceledException) { throw new TimeoutException($"timed out waiting for {what}; last snapshot: {Describe(Source.Current)}"); }
        }
    }

    /// <summary>Waits until <paramref name="condition"/> holds after some stream became (or stopped being) current.</summary>
    public async Task WaitForHealth(Func<KubernetesClusterSource, bool> condition, string what)
    {
        using var cts = new CancellationTokenSource(Timeout);
        while (true)
        {
            var changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            void OnChange() => changed.TrySetResult();
            Source.HealthChanged += OnChange;
            try
            {
                if (condition(Source)) return;
                await changed.Task.WaitAsync(cts.Token);
            }
            catch (OperationCanceledException) { throw new TimeoutException("timed out waiting for " + what); }
            finally { Source.HealthChanged -= OnChange; }
        }
    }

    /// <summary>Waits until the server has <paramref name="count"/> open watches.</summary>
    public async Task WaitForWatches(int count)
    {
        using var cts = new CancellationTokenSource(Timeout);
        while (true)
        {
            var changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            void OnChange() => changed.TrySetResult();
            Api.WatchesChanged += OnChange;
            try
            {
                if (Api.OpenWatches == count) return;
                await changed.Task.WaitAsync(cts.Token);
            }
            catch (OperationCanceledException) { throw new TimeoutException($"timed out waiting for {count} open watches (have {Api.OpenWatches})"); }
            finally { Api.WatchesChanged -= OnChange; }
        }
    }

    /// <summary>Waits until the server has received a request matching <paramref name="match"/> (checked as watches open and close).</summary>
    public async Task WaitForRequest(Func<string, bool> match, string what)
    {
        using var cts = new CancellationTokenSource(Timeout);
        while (true)
        {
            var changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            void OnChange() => changed.TrySetResult();
            Api.WatchesChanged += OnChange;
            try
            {
                if (Api.Requests.Any(match)) return;
                await changed.Task.WaitAsync(cts.Token);
            }
            catch (OperationCanceledException) { throw new TimeoutException("timed out waiting for " + what + "; requests: " + string.Join(" ", Api.Requests)); }
            finally { Api.WatchesChanged -= OnChange; }
        }
    }

    public static string Describe(ClusterSnapshot? s) => s?.Cluster is not { } c ? "(none)"
        : "services " + string.Join(",", c.Services.Select(x => x.Meta.Key)) + "; slices " + string.Join(",", c.EndpointSlices.Select(x => x.Meta.Key + "[" + x.Endpoints.Count + "]"));

    /// <summary>The A answers for a name, sorted; empty for NXDOMAIN/NODATA.</summary>
    public static IReadOnlyList<string> A(ClusterSnapshot s, string name) =>
        s.Dns.Resolve(new DnsQuery(name, DnsType.A)).Response.Answer.Where(r => r.Type == DnsType.A).Select(r => r.Data.ToText()).OrderBy(x => x, StringComparer.Ordinal).ToList();

    public static Rcode RcodeOf(ClusterSnapshot s, string name) => s.Dns.Resolve(new DnsQuery(name, DnsType.A)).Response.Rcode;

    public async ValueTask DisposeAsync()
    {
        await Source.DisposeAsync();
        await Api.DisposeAsync();
    }
}

/// <summary>Keeps what was logged, so a test can assert that a rejected object was named with its reason.</summary>
internal sealed class TestLogger : ILogger
{
    public ConcurrentQueue<string> Messages { get; } = new();
    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
    public bool IsEnabled(LogLevel logLevel) => true;
    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        Messages.Enqueue(logLevel + ": " + formatter(state, exception));
}
