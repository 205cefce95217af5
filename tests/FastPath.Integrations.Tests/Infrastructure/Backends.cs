using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Grpc.AspNetCore.Server.Model;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Xunit;

namespace FastPath.Integrations.Tests.Infrastructure;

/// <summary>
/// Real Kestrel servers on 127.0.0.1, each answering with its own name: HTTP/1.1 ones (GET / → name) and HTTP/2
/// cleartext ones that also serve a gRPC identity method. A backend can be slowed by closing its gate: requests wait
/// on it until the test opens it again (no sleeps).
/// </summary>
public sealed class Backends : IAsyncLifetime
{
    public const int Http1Count = 4, Http2Count = 3;
    private readonly List<WebApplication> _apps = new();

    public IReadOnlyList<Backend> Http1 { get; private set; } = [];
    public IReadOnlyList<Backend> Http2 { get; private set; } = [];

    public async Task InitializeAsync()
    {
        var http1 = new List<Backend>();
        var http2 = new List<Backend>();
        var starts = new List<Task<Backend>>();
        for (int i = 0; i < Http1Count; i++) starts.Add(StartAsync($"h1-{i}", HttpProtocols.Http1));
        for (int i = 0; i < Http2Count; i++) starts.Add(StartAsync($"h2-{i}", HttpProtocols.Http2));
        var all = await Task.WhenAll(starts);
        Http1 = all.Take(Http1Count).ToList();
        Http2 = all.Skip(Http1Count).ToList();
    }

    private async Task<Backend> StartAsync(string name, HttpProtocols protocols)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.Protocols = protocols));
        builder.Services.AddGrpc();
        builder.Services.AddSingleton<IServiceMethodProvider<IdentityService>, IdentityMethods>();
        var backend = new Backend(name);
        builder.Services.AddSingleton(backend);
        var app = builder.Build();
        app.MapGet("/", async (HttpContext ctx) =>
        {
            await backend.PassAsync(ctx.RequestAborted);
            return $"{name} {ctx.Request.Protocol}";
        });
        app.MapGrpcService<IdentityService>();
        await app.StartAsync();
        lock (_apps) _apps.Add(app);
        backend.Port = new Uri(app.Urls.First()).Port;
        return backend;
    }

    public Backend ByPort(int port) => Http1.Concat(Http2).Single(b => b.Port == port);

    public async Task DisposeAsync()
    {
        foreach (var b in Http1.Concat(Http2)) b.Open();
        await Task.WhenAll(_apps.Select(a => a.DisposeAsync().AsTask()));
    }
}

/// <summary>One backend: its name, port, how many requests it served, and its gate.</summary>
public sealed class Backend(string name)
{
    private volatile TaskCompletionSource _gate = Opened();
    private int _served, _waiting;
    private readonly ConcurrentQueue<TaskCompletionSource> _arrivals = new();

    public string Name { get; } = name;
    public int Port { get; set; }
    public string Endpoint => $"127.0.0.1:{Port}";
    public int Served => Volatile.Read(ref _served);
    /// <summary>Requests waiting at the closed gate right now.</summary>
    public int Waiting => Volatile.Read(ref _waiting);

    public void Close() => _gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
    public void Open() => _gate.TrySetResult();
    public void ResetCount() => Interlocked.Exchange(ref _served, 0);

    /// <summary>Completes when a request has arrived and is waiting at the closed gate.</summary>
    public Task NextArrival()
    {
        var tcs = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _arrivals.Enqueue(tcs);
        return tcs.Task;
    }

    public async Task PassAsync(CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _served);
        var gate = _gate;
        if (gate.Task.IsCompleted) return;
        Interlocked.Increment(ref _waiting);
        while (_arrivals.TryDequeue(out var arrival)) arrival.TrySetResult();
        try { await gate.Task.WaitAsync(cancellationToken); }
        finally { Interlocked.Decrement(ref _waiting); }
    }

    private static TaskCompletionSource Opened()
    {
        var t = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        t.SetResult();
        return t;
    }
}

/// <summary>A gRPC service without generated code: one unary method returning the backend's name.</summary>
public sealed class IdentityService;

public sealed class IdentityMethods(Backend backend) : IServiceMethodProvider<IdentityService>
{
    public void OnServiceMethodDiscovery(ServiceMethodProviderContext<IdentityService> context) =>
        context.AddUnaryMethod(Identity.Who, [], async (IdentityService _, string request, ServerCallContext call) =>
        {
            await backend.PassAsync(call.CancellationToken);
            return backend.Name;
        });
}

public static class Identity
{
    private static readonly Marshaller<string> Utf8 = Marshallers.Create(s => Encoding.UTF8.GetBytes(s), b => Encoding.UTF8.GetString(b));

    public static readonly Method<string, string> Who = new(MethodType.Unary, "fastpath.test.Identity", "Who", Utf8, Utf8);
}

[CollectionDefinition(Name)]
public sealed class BackendsCollection : ICollectionFixture<Backends>
{
    public const string Name = "backends";
}
