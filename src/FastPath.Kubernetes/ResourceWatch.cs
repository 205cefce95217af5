using System;
using System.Collections.Generic;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using FastPath.Live;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace FastPath.Kubernetes;

/// <summary>Where a stream's objects go: the whole set after a list, then one change at a time.</summary>
internal interface IWatchSink
{
    void Listed(ResourceWatch stream, IReadOnlyList<KeyValuePair<ObjectKey, string>> objects);
    void Upserted(ResourceWatch stream, ObjectKey key, string text);
    void Deleted(ResourceWatch stream, ObjectKey key);
    /// <summary>The stream is current (after a list, or a watch resumed), or is not (a broken watch until the next list).</summary>
    void Health(ResourceWatch stream, bool current);
}

/// <summary>
/// One list-then-watch loop, as client-go's reflector runs it: list (paged) and remember the resourceVersion;
/// watch from it with bookmarks; a watch the server ends cleanly resumes from the last resourceVersion; 410 Gone
/// (an ERROR event or an HTTP status) relists at once; a broken stream (dropped connection, malformed or truncated
/// line, any other error) relists after a jittered, growing backoff; a stream silent for longer than the idle
/// timeout is abandoned and resumed. A relist replaces the stream's objects wholesale, so what vanished meanwhile
/// is deleted.
/// </summary>
internal sealed class ResourceWatch(WatchedResource resource, IKubernetes client, IWatchSink sink, FastPathKubernetesOptions options,
    TimeProvider time, ILogger logger, KubernetesMetrics metrics)
{
    private enum End { Closed, Expired, Silent, Broken }

    private string? _resourceVersion;
    private int _failures;

    public WatchedResource Resource { get; } = resource;
    public string Name => Resource.Name;
    /// <summary>The resourceVersion the next watch starts from (the last event's or bookmark's).</summary>
    public string? ResourceVersion => Volatile.Read(ref _resourceVersion);

    public async Task RunAsync(CancellationToken ct)
    {
        bool list = true;
        while (!ct.IsCancellationRequested)
        {
            string reason;
            try
            {
                if (list)
                {
                    await ListAsync(ct).ConfigureAwait(false);
                    list = false;
                }
                var (end, why) = await WatchAsync(ct).ConfigureAwait(false);
                switch (end)
                {
                    case End.Closed when why.Length == 0: _failures = 0; continue;
                    case End.Closed:
                        // Closed before a single event: wait a little so a server that ends every watch at once is not hammered.
                        try { await Task.Delay(options.InitialBackoff, time, ct).ConfigureAwait(false); }
                        catch (OperationCanceledException) { return; }
                        continue;
                    case End.Silent: Log.Silent(logger, Name, options.WatchIdleTimeout, ResourceVersion); continue;
                    case End.Expired:
                        Log.Expired(logger, Name);
                        metrics.Relist(Resource, "expired");
                        list = true;
                        continue;
                    default: reason = why; break;
                }
            }
            // Stopping: cancelling a watch mid-read can surface as an IOException or HttpIOException from the
            // aborted response stream rather than as a cancellation; either way it is the stop, not a fault.
            catch (Exception) when (ct.IsCancellationRequested) { return; }
            catch (HttpOperationException ex) when (ex.Response?.StatusCode == HttpStatusCode.Gone)
            {
                // A resourceVersion too old for the watch cache (or an expired continue token): start over from a list.
                Log.Expired(logger, Name);
                metrics.Relist(Resource, "expired");
                list = true;
                continue;
            }
            catch (Exception ex) when (!ct.IsCancellationRequested)
            {
                // Connection refused or dropped, a 5xx, a 403 from missing RBAC, a malformed list: all are retried
                // with backoff (as client-go's reflector does) and logged with what went wrong.
                reason = Describe(ex);
            }
            // Broken: the objects stay as last seen (the last good snapshot keeps serving) until a relist replaces them.
            sink.Health(this, false);
            list = true;
            metrics.Relist(Resource, "broken");
            var delay = Backoff(++_failures);
            Log.Broken(logger, Name, reason, delay);
            try { await Task.Delay(delay, time, ct).ConfigureAwait(false); }
            catch (OperationCanceledException) { return; }
        }
    }

    private async Task ListAsync(CancellationToken ct)
    {
        var objects = new List<KeyValuePair<ObjectKey, string>>();
        string? cont = null, rv = null;
        do
        {
            var page = await Resource.Api.ListAsync(client, new ApiRequest(Resource.Namespace, Resource.LabelSelector, Resource.FieldSelector,
                Limit: options.ListPageSize > 0 ? options.ListPageSize : null, Continue: cont), ct).ConfigureAwait(false);
            foreach (var item in page.Items)
                if (Convert(item) is { } pair) objects.Add(pair);
            cont = page.Continue;
            rv = page.ResourceVersion;
        } while (cont is not null);
        Volatile.Write(ref _resourceVersion, rv);
        _failures = 0;
        Log.Listed(logger, Name, objects.Count, rv);
        sink.Listed(this, objects);
        sink.Health(this, true);
    }

    private async Task<(End, string)> WatchAsync(CancellationToken ct)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        bool silent = false;
        int events = 0;
        Exception? failure = null;
        using var watchdog = time.CreateTimer(_ => { silent = true; Cancel(stop); }, null, options.WatchIdleTimeout, Timeout.InfiniteTimeSpan);
        var timeout = (int)(options.WatchTimeout.TotalSeconds * (1 + Random.Shared.NextDouble()));
        var request = new ApiRequest(Resource.Namespace, Resource.LabelSelector, Resource.FieldSelector, ResourceVersion, TimeoutSeconds: timeout);
        // The client reports an ERROR event (a Status) and a line it cannot read through this callback and then
        // reads on; either ends this watch at once, so nothing after a bad line is applied.
        void OnError(Exception ex) { failure ??= ex; Cancel(stop); }
        try
        {
            await foreach (var (type, obj) in Resource.Api.WatchAsync(client, request, OnError, stop.Token).ConfigureAwait(false))
            {
                if (failure is not null) break;
                watchdog.Change(options.WatchIdleTimeout, Timeout.InfiniteTimeSpan);
                events++;
                metrics.Event(Resource, type);
                var rv = obj.Metadata?.ResourceVersion; // read before the object becomes manifest text (which drops it)
                switch (type)
                {
                    case WatchEventType.Added or WatchEventType.Modified:
                        if (Convert(obj) is { } pair) sink.Upserted(this, pair.Key, pair.Value);
                        break;
                    case WatchEventType.Deleted:
                        if (ApiObjectText.KeyOf(Resource.Api, obj, out _) is { } key) sink.Deleted(this, key);
                        break;
                    case WatchEventType.Bookmark:
                        break;
                    default:
                        return (End.Broken, $"an {type} event without a Status");
                }
                if (!string.IsNullOrEmpty(rv)) Volatile.Write(ref _resourceVersion, rv);
            }
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested && (failure is not null || silent))
        {
            // Stopped by the error callback or the watchdog: the outcome below says which.
        }
        if (failure is KubernetesException { Status.Code: 410 }) return (End.Expired, "");
        if (failure is not null) return (End.Broken, Describe(failure));
        if (silent) return (End.Silent, "");
        ct.ThrowIfCancellationRequested();
        return (End.Closed, events > 0 ? "" : "empty");
    }

    private KeyValuePair<ObjectKey, string>? Convert(IKubernetesObject<V1ObjectMeta> obj)
    {
        if (ApiObjectText.KeyOf(Resource.Api, obj, out var error) is not { } key)
        {
            Log.SkippedEvent(logger, Resource.Api.Kind, obj.Metadata?.NamespaceProperty + "/" + obj.Metadata?.Name, Name, error!);
            return null;
        }
        return new(key, ApiObjectText.Text(Resource.Api, obj));
    }

    /// <summary>Exponential from the initial backoff to the maximum, each wait spread by ±25 % so replicas do not reconnect in step.</summary>
    private TimeSpan Backoff(int failures)
    {
        double factor = Math.Pow(2, Math.Min(failures - 1, 30));
        var max = options.MaxBackoff.TotalMilliseconds;
        double ms = Math.Min(max, options.InitialBackoff.TotalMilliseconds * factor);
        return TimeSpan.FromMilliseconds(ms * (0.75 + 0.5 * Random.Shared.NextDouble()));
    }

    private static void Cancel(CancellationTokenSource cts)
    {
        try { cts.Cancel(); }
        catch (ObjectDisposedException) { } // the watch already ended; nothing is left to stop
    }

    private static string Describe(Exception ex) => ex switch
    {
        KubernetesException k => $"{k.Status?.Reason ?? "Error"} ({k.Status?.Code}): {k.Status?.Message}",
        HttpOperationException h => $"HTTP {(int?)h.Response?.StatusCode} {h.Response?.ReasonPhrase}",
        _ => ex.GetType().Name + ": " + ex.Message,
    };
}
