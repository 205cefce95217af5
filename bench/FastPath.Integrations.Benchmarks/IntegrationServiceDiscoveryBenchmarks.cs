using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;
using FastPath.Live;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Primitives;
using Microsoft.Extensions.ServiceDiscovery;

namespace FastPath.Integrations.Benchmarks;

/// <summary>
/// Microsoft.Extensions.ServiceDiscovery per request (<c>ServiceEndpointResolver.GetEndpointsAsync</c>, answered from
/// MESD's cache until a change token fires) with its configuration provider (baseline) and with FastPath; and the
/// refresh: one provider's <c>PopulateAsync</c> for each (FastPath reads the snapshot; the configuration provider
/// reads IConfiguration).
/// </summary>
[MemoryDiagnoser, CategoriesColumn, GroupBenchmarksBy(BenchmarkDotNet.Configs.BenchmarkLogicalGroupRule.ByCategory)]
public class IntegrationServiceDiscoveryBenchmarks
{
    private ServiceEndpointResolver _configuration = null!, _fastPath = null!;
    private IServiceEndpointProvider _configurationProvider = null!, _fastPathProvider = null!;

    [GlobalSetup]
    public async Task Setup()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(Enumerable.Range(1, IntegrationCluster.Endpoints)
            .Select(i => new KeyValuePair<string, string?>($"Services:cart:http:{i - 1}", $"10.244.0.{i}:8080"))).Build();

        var withConfiguration = new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddServiceDiscovery().BuildServiceProvider();
        _configuration = withConfiguration.GetRequiredService<ServiceEndpointResolver>();
        var withFastPath = new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddServiceDiscovery()
            .AddFastPath(new SnapshotPublisher(IntegrationCluster.Build(clientIp: false))).BuildServiceProvider();
        _fastPath = withFastPath.GetRequiredService<ServiceEndpointResolver>();
        if ((await _configuration.GetEndpointsAsync("http://cart", default)).Endpoints.Count != IntegrationCluster.Endpoints) throw new System.InvalidOperationException("configuration");
        if ((await _fastPath.GetEndpointsAsync("http://cart.shop", default)).Endpoints.Count != IntegrationCluster.Endpoints) throw new System.InvalidOperationException("fastpath");

        _configurationProvider = Provider(withConfiguration, "Configuration", "http://cart");
        _fastPathProvider = Provider(withFastPath, "FastPath", "http://cart.shop");
    }

    private static IServiceEndpointProvider Provider(ServiceProvider sp, string factory, string name)
    {
        ServiceEndpointQuery.TryParse(name, out var query);
        var f = sp.GetServices<IServiceEndpointProviderFactory>().Single(x => x.GetType().Name.StartsWith(factory, System.StringComparison.Ordinal));
        f.TryCreateProvider(query!, out var provider);
        return provider!;
    }

    [Benchmark(Baseline = true, Description = "per request: configuration provider")]
    [BenchmarkCategory("request")]
    public ValueTask<ServiceEndpointSource> RequestConfiguration() => _configuration.GetEndpointsAsync("http://cart", default);

    [Benchmark(Description = "per request: FastPath")]
    [BenchmarkCategory("request")]
    public ValueTask<ServiceEndpointSource> RequestFastPath() => _fastPath.GetEndpointsAsync("http://cart.shop", default);

    [Benchmark(Baseline = true, Description = "refresh: configuration provider PopulateAsync")]
    [BenchmarkCategory("refresh")]
    public async Task<int> RefreshConfiguration() { var b = new Builder(); await _configurationProvider.PopulateAsync(b, default); return b.Endpoints.Count; }

    [Benchmark(Description = "refresh: FastPath PopulateAsync")]
    [BenchmarkCategory("refresh")]
    public async Task<int> RefreshFastPath() { var b = new Builder(); await _fastPathProvider.PopulateAsync(b, default); return b.Endpoints.Count; }

    private sealed class Builder : IServiceEndpointBuilder
    {
        public IList<ServiceEndpoint> Endpoints { get; } = new List<ServiceEndpoint>();
        public IFeatureCollection Features { get; } = new FeatureCollection();
        public void AddChangeToken(IChangeToken changeToken) { }
    }
}
