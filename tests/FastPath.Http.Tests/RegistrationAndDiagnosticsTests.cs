using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics.Metrics;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Threading.Tasks;
using FastPath.Diagnostics;
using FastPath.Live;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Xunit;
using static FastPath.Http.Tests.CartCluster;

namespace FastPath.Http.Tests;

/// <summary>IHttpClientBuilder registration, and the metrics and log events the handler reports.</summary>
public sealed class RegistrationAndDiagnosticsTests : IAsyncLifetime
{
    private Backend _a = null!, _b = null!;

    public async Task InitializeAsync() => (_a, _b) = (await Backend.StartAsync("a"), await Backend.StartAsync("b"));
    public async Task DisposeAsync() { await _a.DisposeAsync(); await _b.DisposeAsync(); }

    [Fact]
    public async Task Named_client_registered_with_AddFastPath_routes_by_the_registered_source()
    {
        var snapshots = new Snapshots();
        snapshots.Publish(Yaml([new(_a)]));
        var services = new ServiceCollection();
        services.AddSingleton<IClusterSnapshotSource>(snapshots.Source);
        services.AddHttpClient("cart", c => c.BaseAddress = new Uri("http://cart.shop"))
            .AddFastPath(o => o.ClientAddress = IPAddress.Parse("10.244.1.7"));
        await using var provider = services.BuildServiceProvider();
        var client = provider.GetRequiredService<IHttpClientFactory>().CreateClient("cart");
        Assert.Equal("a HTTP/1.1", await client.GetStringAsync("/"));
    }

    [Fact]
    public async Task Lookups_misses_selections_and_snapshot_age_are_measured_with_low_cardinality_tags()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-12-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var snapshots = new Snapshots { Time = time };
        snapshots.Publish(Yaml([new(_a), new(_b)]));
        using var meters = new ScopedMeterFactory();
        using var metrics = new FastPathMetrics(meters, time);
        var measured = new ConcurrentQueue<(string Name, double Value, Dictionary<string, object?> Tags)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) => { if (instrument.Meter.Name == FastPathMetrics.MeterName && instrument.Meter.Scope == meters) l.EnableMeasurementEvents(instrument); };
        listener.SetMeasurementEventCallback<long>((i, v, tags, _) => measured.Enqueue((i.Name, v, tags.ToArray().ToDictionary(t => t.Key, t => t.Value))));
        listener.SetMeasurementEventCallback<double>((i, v, tags, _) => measured.Enqueue((i.Name, v, tags.ToArray().ToDictionary(t => t.Key, t => t.Value))));
        listener.Start();

        using var client = new HttpClient(FastPathHttpHandler.Create(snapshots.Source, new FastPathHttpOptions { ClientAddress = IPAddress.Parse("10.244.1.7") }, metrics: metrics));
        for (int i = 0; i < 4; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "http://cart.shop") { Headers = { ConnectionClose = true } };
            (await client.SendAsync(request)).Dispose();
        }
        await Assert.ThrowsAsync<HttpRequestException>(() => client.GetStringAsync("http://nope.shop"));
        time.Advance(TimeSpan.FromSeconds(42));
        listener.RecordObservableInstruments();

        var all = measured.ToList();
        Assert.Equal(5, all.Count(m => m.Name == FastPathMetrics.LookupsName && (string?)m.Tags[FastPathMetrics.IntegrationTag] == "http"));
        var selections = all.Where(m => m.Name == FastPathMetrics.SelectionsName).ToList();
        Assert.Equal(4, selections.Count);
        Assert.All(selections, s => Assert.Equal("shop/cart", s.Tags[FastPathMetrics.ServiceTag]));
        Assert.Equal(2, selections.Count(s => (string?)s.Tags[FastPathMetrics.EndpointTag] == $"127.0.0.1:{_a.Http1Port}"));
        Assert.Equal(2, selections.Count(s => (string?)s.Tags[FastPathMetrics.EndpointTag] == $"127.0.0.1:{_b.Http1Port}"));
        var miss = Assert.Single(all, m => m.Name == FastPathMetrics.MissesName);
        Assert.Equal(MissReason.UnknownService, miss.Tags[FastPathMetrics.ReasonTag]);
        var age = Assert.Single(all, m => m.Name == FastPathMetrics.SnapshotAgeName);
        Assert.Equal(42, age.Value);
    }

    /// <summary>An IMeterFactory as the host's: its meters carry it as their scope, so a listener hears this test's alone.</summary>
    private sealed class ScopedMeterFactory : IMeterFactory
    {
        private readonly List<Meter> _meters = new();
        public Meter Create(MeterOptions options)
        {
            var meter = new Meter(new MeterOptions(options.Name) { Version = options.Version, Scope = this });
            _meters.Add(meter);
            return meter;
        }
        public void Dispose() { foreach (var m in _meters) m.Dispose(); }
    }

    [Fact]
    public async Task Misses_and_snapshot_changes_are_logged_as_named_events()
    {
        var snapshots = new Snapshots();
        var logs = new ListLoggerProvider();
        using var factory = LoggerFactory.Create(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Debug));
        using var subscription = factory.CreateLogger("FastPath").LogSnapshotChanges(snapshots.Source, "http");
        snapshots.Publish(Yaml([new(_a)]));
        using var client = new HttpClient(FastPathHttpHandler.Create(snapshots.Source, loggerFactory: factory));
        await client.GetStringAsync("http://cart.shop");
        await Assert.ThrowsAsync<HttpRequestException>(() => client.GetStringAsync("http://_grpc.cart.shop"));
        snapshots.Publish(Yaml([new(_b)]));
        // The pooled connection stays with a (as a conntrack entry would); a new connection reads the new snapshot.
        using var fresh = new HttpClient(FastPathHttpHandler.Create(snapshots.Source, loggerFactory: factory));
        Assert.Equal("b HTTP/1.1", await fresh.GetStringAsync("http://cart.shop"));

        Assert.Equal(["SnapshotChanged", "SnapshotInUse", "LookupMissed", "SnapshotChanged", "SnapshotInUse"], logs.Events.Select(e => e.Name));
        Assert.Equal("http: snapshot 2 published (full: True, services changed: 0)", logs.Events[3].Message);
        Assert.Contains("http found no endpoint for _grpc.cart.shop:80: unknown_port (Service shop/cart has no port named grpc", logs.Events[2].Message);
    }

    private sealed class ListLoggerProvider : ILoggerProvider, ILogger
    {
        public List<(string? Name, string Message)> Events { get; } = new();
        public ILogger CreateLogger(string categoryName) => this;
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;
        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (Events) Events.Add((eventId.Name, formatter(state, exception)));
        }
        public void Dispose() { }
    }
}
