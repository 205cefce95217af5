using System;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;
using FastPath.Http;
using FastPath.Live;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FastPath.Benchmarks;

/// <summary>
/// What FastPath.Http adds to a new connection: its pick alone (round robin, ClientIP affinity), a TCP connect with
/// the pick against a plain connect (to the IP, and to "localhost" as SocketsHttpHandler's default callback resolves
/// it), and a whole HTTP/1.1 request on a new connection through HttpClient, FastPath handler against plain handler,
/// all to one loopback Kestrel in the same run.
/// </summary>
[MemoryDiagnoser]
public class HttpConnectBenchmarks
{
    private WebApplication _server = null!;
    private int _port;
    private ClusterSnapshot _snapshot = null!;
    private ClusterSnapshot _singleSnapshot = null!;
    private FastPathConnector _connector = null!, _singleConnector = null!;
    private HttpClient _plain = null!, _fastPath = null!;
    private IPEndPoint _ip = null!;
    private FastPath.Compiled.ServicePortHandle _handle = null!;
    private static readonly UInt128 _client = FastPath.Runtime.IpKey.From(IPAddress.Parse("10.244.1.7"));

    [GlobalSetup]
    public void Setup()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        _server = builder.Build();
        _server.Run(ctx => ctx.Response.WriteAsync("ok"));
        _server.StartAsync().GetAwaiter().GetResult();
        _port = new Uri(_server.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()).Port;
        _ip = new IPEndPoint(IPAddress.Loopback, _port);

        // shop/cart: 4 ready endpoints; shop/sticky: the same with ClientIP affinity. The picks are measured on these.
        var yaml = "apiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n";
        foreach (var (name, affinity) in new[] { ("cart", ""), ("sticky", "  sessionAffinity: ClientIP\n") })
            yaml += $"---\napiVersion: v1\nkind: Service\nmetadata: {{name: {name}, namespace: shop}}\nspec:\n  ports: [{{name: http, port: 80}}]\n{affinity}" +
                $"---\napiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\nmetadata: {{name: {name}-1, namespace: shop, labels: {{kubernetes.io/service-name: {name}}}}}\n" +
                $"addressType: IPv4\nports: [{{name: http, port: {_port}}}]\nendpoints: [{{addresses: [10.244.0.1]}}, {{addresses: [10.244.0.2]}}, {{addresses: [10.244.0.3]}}, {{addresses: [10.244.0.4]}}]\n";
        _snapshot = ClusterSnapshot.Build(Load(yaml));
        _handle = _snapshot.DataPlane.Find("shop", "cart", "80")!;
        var source = new SnapshotPublisher(_snapshot);
        var options = new FastPathHttpOptions { ClientAddress = IPAddress.Parse("10.244.1.7") };
        _connector = new FastPathConnector(source, options);
        _plain = new HttpClient(new SocketsHttpHandler());
        // Connections go to the one real server: the same services with the server (on 127.0.0.1) as their only endpoint.
        var single = yaml.Replace("{addresses: [10.244.0.1]}, {addresses: [10.244.0.2]}, {addresses: [10.244.0.3]}, {addresses: [10.244.0.4]}", "{addresses: [127.0.0.1]}");
        _singleSnapshot = ClusterSnapshot.Build(Load(single));
        var singleSource = new SnapshotPublisher(_singleSnapshot);
        _singleConnector = new FastPathConnector(singleSource, options);
        _fastPath = new HttpClient(FastPathHttpHandler.Create(singleSource, options));
    }

    /// <summary>Loads the manifests; a loopback endpoint is only FP0066 (the API server would refuse it, kube-proxy serves it).</summary>
    private static FastPath.Model.Cluster Load(string yaml)
    {
        var result = FastPath.Model.Loading.ClusterLoader.LoadTexts([new FastPath.Model.ManifestText("bench.yaml", yaml)]);
        if (result.Cluster is null || result.Diagnostics.Any(d => d.Id != "FP0066"))
            throw new InvalidOperationException(string.Join("\n", result.Diagnostics));
        return result.Cluster;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _plain.Dispose();
        _fastPath.Dispose();
        _server.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    [Benchmark(Description = "data plane alone: ServicePortHandle.Select, round robin")]
    public FastPath.Compiled.ConnectionSelection SelectOnly() => _handle.Select(_client, null);

    [Benchmark(Description = "pick: round robin")]
    public IPEndPoint? PickRoundRobin() => _connector.Pick(_snapshot, "cart.shop", 80);

    [Benchmark(Description = "pick: ClientIP affinity (hit)")]
    public IPEndPoint? PickAffinity() => _connector.Pick(_snapshot, "sticky.shop", 80);

    [Benchmark(Baseline = true, Description = "connect: plain, to the IP")]
    public async Task ConnectPlainIp()
    {
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(_ip);
    }

    [Benchmark(Description = "connect: plain, to \"localhost\" (DNS)")]
    public async Task ConnectPlainName()
    {
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(new DnsEndPoint("localhost", _port));
    }

    [Benchmark(Description = "connect: FastPath pick + connect")]
    public async Task ConnectFastPath()
    {
        var picked = _singleConnector.Pick(_singleSnapshot, "cart.shop", 80)!;
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(picked);
    }

    [Benchmark(Description = "GET, new connection: plain SocketsHttpHandler")]
    public Task<HttpResponseMessage> RequestPlain() => Send(_plain, $"http://127.0.0.1:{_port}/");

    [Benchmark(Description = "GET, new connection: FastPathHttpHandler")]
    public Task<HttpResponseMessage> RequestFastPath() => Send(_fastPath, "http://cart.shop/");

    private static async Task<HttpResponseMessage> Send(HttpClient client, string url)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.ConnectionClose = true;
        var response = await client.SendAsync(request, HttpCompletionOption.ResponseContentRead, CancellationToken.None);
        response.Dispose();
        return response;
    }
}
