using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FastPath.Kubernetes.Tests.FakeApi;

/// <summary>
/// A small Kubernetes API server on 127.0.0.1 (random port) speaking the list/watch wire protocol the real
/// KubernetesClient uses: JSON lists with a resourceVersion (paged with limit/continue), streamed newline-delimited
/// watch events (ADDED, MODIFIED, DELETED, BOOKMARK, ERROR with a Status), 410 Expired both as an ERROR event and
/// as the HTTP status of a watch from a compacted resourceVersion, label and field selectors. Tests change its
/// objects and misbehave on demand: drop connections, mute watches, send garbage or half a line, go down.
/// </summary>
internal sealed class FakeApiServer : IAsyncDisposable
{
    private sealed record Resource(string Path, string Kind, string ApiVersion, bool Namespaced);
    private sealed record Change(long Rv, string Resource, string Type, JsonObject? Old, JsonObject? New);

    private static readonly Resource[] Resources =
    [
        new("api/v1/services", "Service", "v1", true),
        new("apis/discovery.k8s.io/v1/endpointslices", "EndpointSlice", "discovery.k8s.io/v1", true),
        new("api/v1/namespaces", "Namespace", "v1", false),
        new("api/v1/configmaps", "ConfigMap", "v1", true),
        new("api/v1/pods", "Pod", "v1", true),
        new("api/v1/nodes", "Node", "v1", false),
    ];

    private readonly WebApplication _app;
    private readonly object _gate = new();
    private readonly Dictionary<string, SortedDictionary<string, JsonObject>> _store = new();
    private readonly List<Change> _log = new();
    private readonly List<Watch> _watches = new();
    private long _rv = 1000, _compactedThrough;

    private FakeApiServer(WebApplication app) => _app = app;

    public Uri BaseUri { get; private set; } = null!;
    /// <summary>Every request's path and query, in arrival order.</summary>
    public ConcurrentQueue<string> Requests { get; } = new();
    /// <summary>While true, every request's connection is dropped (the API server is unreachable).</summary>
    public bool Down { get; set; }
    /// <summary>Open watches now.</summary>
    public int OpenWatches { get { lock (_gate) return _watches.Count; } }
    /// <summary>Raised when a watch opens (with its path) or closes.</summary>
    public event Action? WatchesChanged;

    public static async Task<FakeApiServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var server = new FakeApiServer(app);
        app.Run(server.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.BaseUri = new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal));
        return server;
    }

    // ----- the cluster's objects -----

    /// <summary>Creates or replaces an object (it gets the next resourceVersion) and tells matching watches.</summary>
    public long Apply(JsonObject obj)
    {
        lock (_gate)
        {
            var resource = ResourceOf((string)obj["kind"]!);
            var key = KeyOf(obj);
            var objects = Objects(resource);
            objects.TryGetValue(key, out var old);
            var stored = (JsonObject)obj.DeepClone();
            stored["metadata"]!["resourceVersion"] = (++_rv).ToString(CultureInfo.InvariantCulture);
            objects[key] = stored;
            Record(new Change(_rv, resource.Path, old is null ? "ADDED" : "MODIFIED", old, stored));
            return _rv;
        }
    }

    public bool Delete(string kind, string? ns, string name)
    {
        lock (_gate)
        {
            var resource = ResourceOf(kind);
            var objects = Objects(resource);
            var key = (ns ?? "") + "/" + name;
            if (!objects.Remove(key, out var old)) return false;
            var gone = (JsonObject)old.DeepClone();
            gone["metadata"]!["resourceVersion"] = (++_rv).ToString(CultureInfo.InvariantCulture);
            Record(new Change(_rv, resource.Path, "DELETED", old, gone));
            return true;
        }
    }

    /// <summary>Forgets the change history (as etcd compaction does): a watch from an older resourceVersion gets 410 Gone.</summary>
    public void Compact()
    {
        lock (_gate)
        {
            _compactedThrough = _rv;
            _log.Clear();
        }
    }

    // ----- misbehaviour on demand -----

    /// <summary>Sends a BOOKMARK with the current resourceVersion to every watch that asked for bookmarks.</summary>
    public void SendBookmarks()
    {
        lock (_gate)
            foreach (var w in _watches.Where(w => w.Bookmarks))
                w.Send(new JsonObject { ["type"] = "BOOKMARK", ["object"] = new JsonObject { ["kind"] = w.Resource.Kind, ["apiVersion"] = w.Resource.ApiVersion, ["metadata"] = new JsonObject { ["resourceVersion"] = _rv.ToString(CultureInfo.InvariantCulture) } } }.ToJsonString());
    }

    /// <summary>Open watches stop receiving events (they stay open, silent); later watches replay what they missed.</summary>
    public void MuteWatches() { lock (_gate) foreach (var w in _watches) w.Muted = true; }

    /// <summary>Ends every watch with an ERROR event carrying a 410 Expired Status, as the API server does when a watch falls behind compaction.</summary>
    public void ExpireWatches()
    {
        lock (_gate)
            foreach (var w in _watches)
            {
                w.Send(new JsonObject { ["type"] = "ERROR", ["object"] = Status(410, "Expired", "too old resource version") }.ToJsonString(), force: true);
                w.Close();
            }
    }

    /// <summary>Ends every watch cleanly (as the server's watch timeout does).</summary>
    public void CloseWatches() { lock (_gate) foreach (var w in _watches) w.Close(); }

    /// <summary>Drops every watch's connection mid-stream.</summary>
    public void DropWatches() { lock (_gate) foreach (var w in _watches) w.Abort(); }

    /// <summary>Sends a line that is not a JSON event to every watch (by default, the start of one cut short).</summary>
    public void SendGarbage(string line = "{\"type\":\"MODIFIED\",\"object\":{\"kind\":") { lock (_gate) foreach (var w in _watches) w.Send(line, force: true); }

    /// <summary>Sends half of an event and drops the connection: a truncated stream.</summary>
    public void TruncateWatches()
    {
        lock (_gate)
            foreach (var w in _watches)
            {
                w.SendPartial("{\"type\":\"ADDED\",\"object\":{\"kind\":\"Service\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"half");
                w.Abort();
            }
    }

    /// <summary>How many list (not watch) requests were made for a resource path such as <c>api/v1/services</c> (any namespace).</summary>
    public int Lists(string resource) => Requests.Count(r => !r.Contains("watch=true", StringComparison.Ordinal) && Normalise(r).StartsWith(resource, StringComparison.Ordinal));

    // ----- HTTP -----

    private async Task HandleAsync(HttpContext ctx)
    {
        var path = ctx.Request.Path.Value!.Trim('/');
        Requests.Enqueue(path + ctx.Request.QueryString.Value);
        if (Down) { ctx.Abort(); return; }
        var (resource, ns) = Route(path);
        if (resource is null || ctx.Request.Method != "GET")
        {
            await Reply(ctx, 404, Status(404, "NotFound", $"the server could not find the requested resource ({path})"));
            return;
        }
        var q = ctx.Request.Query;
        var labels = new LabelSelector(q["labelSelector"]);
        string? fieldName = q["fieldSelector"].ToString() is { Length: > 0 } f && f.StartsWith("metadata.name=", StringComparison.Ordinal) ? f["metadata.name=".Length..] : null;
        bool Matches(JsonObject o) => (ns is null || (string?)o["metadata"]?["namespace"] == ns)
            && (fieldName is null || (string?)o["metadata"]?["name"] == fieldName) && labels.Matches(Labels(o));

        if (q["watch"] is var watch && (watch == "true" || watch == "1"))
            await WatchAsync(ctx, resource, Matches, q["resourceVersion"], q["allowWatchBookmarks"] == "true");
        else
            await ListAsync(ctx, resource, Matches, q["limit"], q["continue"]);
    }

    private async Task ListAsync(HttpContext ctx, Resource resource, Func<JsonObject, bool> matches, string? limitText, string? cont)
    {
        JsonArray items = new();
        string rv, next = "";
        lock (_gate)
        {
            rv = _rv.ToString(CultureInfo.InvariantCulture);
            var all = Objects(resource).Values.Where(matches).ToList();
            int from = string.IsNullOrEmpty(cont) ? 0 : int.Parse(cont, CultureInfo.InvariantCulture);
            int limit = int.TryParse(limitText, out var l) && l > 0 ? l : int.MaxValue;
            foreach (var o in all.Skip(from).Take(limit))
            {
                var item = (JsonObject)o.DeepClone();
                item.Remove("kind"); // list items come without kind and apiVersion, as from the real API server
                item.Remove("apiVersion");
                items.Add(item);
            }
            if ((long)from + limit < all.Count) next = (from + limit).ToString(CultureInfo.InvariantCulture);
        }
        var meta = new JsonObject { ["resourceVersion"] = rv };
        if (next.Length > 0) meta["continue"] = next;
        await Reply(ctx, 200, new JsonObject { ["kind"] = resource.Kind + "List", ["apiVersion"] = resource.ApiVersion, ["metadata"] = meta, ["items"] = items });
    }

    private async Task WatchAsync(HttpContext ctx, Resource resource, Func<JsonObject, bool> matches, string? rvText, bool bookmarks)
    {
        Watch watch;
        lock (_gate)
        {
            long from = long.TryParse(rvText, out var r) ? r : _rv;
            if (from < _compactedThrough)
            {
                // The watch cannot start where asked: 410 Gone with an Expired Status, as the API server answers.
                watch = null!;
            }
            else
            {
                watch = new Watch(ctx, resource, matches, bookmarks);
                foreach (var c in _log.Where(c => c.Rv > from && c.Resource == resource.Path)) watch.Deliver(c);
                _watches.Add(watch);
            }
        }
        if (watch is null)
        {
            await Reply(ctx, 410, Status(410, "Expired", $"too old resource version: {rvText} ({_compactedThrough})"));
            return;
        }
        WatchesChanged?.Invoke();
        try
        {
            ctx.Response.StatusCode = 200;
            ctx.Response.ContentType = "application/json";
            await ctx.Response.Body.FlushAsync(ctx.RequestAborted);
            await foreach (var line in watch.Lines.Reader.ReadAllAsync(ctx.RequestAborted))
            {
                if (line is null) { ctx.Abort(); break; }
                await ctx.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(line), ctx.RequestAborted);
                await ctx.Response.Body.FlushAsync(ctx.RequestAborted);
            }
        }
        catch (OperationCanceledException) when (ctx.RequestAborted.IsCancellationRequested)
        {
            // The client went away (or the test dropped the connection): the watch is over.
        }
        finally
        {
            lock (_gate) _watches.Remove(watch);
            WatchesChanged?.Invoke();
        }
    }

    private void Record(Change change)
    {
        _log.Add(change);
        foreach (var w in _watches.Where(w => w.Resource.Path == change.Resource)) w.Deliver(change);
    }

    private sealed class Watch(HttpContext ctx, Resource resource, Func<JsonObject, bool> matches, bool bookmarks)
    {
        public Resource Resource { get; } = resource;
        public bool Bookmarks { get; } = bookmarks;
        public bool Muted { get; set; }
        /// <summary>Lines to write; a null line drops the connection.</summary>
        public Channel<string?> Lines { get; } = Channel.CreateUnbounded<string?>();

        /// <summary>An object that starts matching is ADDED, one that stops is DELETED (as the API server's filtered watch does).</summary>
        public void Deliver(Change c)
        {
            bool was = c.Old is not null && matches(c.Old), now = c.New is not null && c.Type != "DELETED" && matches(c.New);
            string? type = (was, now) switch { (true, true) => "MODIFIED", (false, true) => "ADDED", (true, false) => "DELETED", _ => null };
            if (type is null) return;
            Send(new JsonObject { ["type"] = type, ["object"] = c.New!.DeepClone() }.ToJsonString());
        }

        public void Send(string line, bool force = false)
        {
            if (Muted && !force) return;
            Lines.Writer.TryWrite(line + "\n");
        }

        public void SendPartial(string text) => Lines.Writer.TryWrite(text);
        public void Close() => Lines.Writer.TryComplete();
        public void Abort() { Lines.Writer.TryWrite(null); Lines.Writer.TryComplete(); }
        public HttpContext Context { get; } = ctx;
    }

    // ----- helpers -----

    private static Resource ResourceOf(string kind) => Resources.First(r => r.Kind == kind);

    private SortedDictionary<string, JsonObject> Objects(Resource r) =>
        _store.TryGetValue(r.Path, out var d) ? d : _store[r.Path] = new SortedDictionary<string, JsonObject>(StringComparer.Ordinal);

    private static string KeyOf(JsonObject o) => ((string?)o["metadata"]?["namespace"] ?? "") + "/" + (string)o["metadata"]!["name"]!;

    private static IReadOnlyDictionary<string, string> Labels(JsonObject o) =>
        (o["metadata"]?["labels"] as JsonObject)?.ToDictionary(p => p.Key, p => (string)p.Value!) ?? new Dictionary<string, string>();

    /// <summary>Maps <c>api/v1/namespaces/shop/services</c> to (services, shop) and <c>api/v1/namespaces</c> to (namespaces, null).</summary>
    private static (Resource?, string?) Route(string path)
    {
        var normal = Normalise(path, out var ns);
        return (Resources.FirstOrDefault(r => r.Path == normal && (ns is null || r.Namespaced)), ns);
    }

    private static string Normalise(string pathAndQuery) => Normalise(pathAndQuery.Split('?')[0], out _);

    private static string Normalise(string path, out string? ns)
    {
        ns = null;
        var parts = path.Split('/');
        int prefix = parts[0] == "api" ? 2 : 3; // api/v1 or apis/group/version
        if (parts.Length == prefix + 3 && parts[prefix] == "namespaces")
        {
            ns = parts[prefix + 1];
            return string.Join('/', parts.Take(prefix).Append(parts[prefix + 2]));
        }
        return path;
    }

    private static JsonObject Status(int code, string reason, string message) => new()
    {
        ["kind"] = "Status", ["apiVersion"] = "v1", ["metadata"] = new JsonObject(),
        ["status"] = "Failure", ["message"] = message, ["reason"] = reason, ["code"] = code,
    };

    private static async Task Reply(HttpContext ctx, int status, JsonObject body)
    {
        ctx.Response.StatusCode = status;
        ctx.Response.ContentType = "application/json";
        await ctx.Response.WriteAsync(body.ToJsonString());
    }

    public async ValueTask DisposeAsync()
    {
        lock (_gate) foreach (var w in _watches) w.Close();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
