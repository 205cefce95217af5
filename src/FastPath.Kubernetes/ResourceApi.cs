using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using k8s;
using k8s.Models;

namespace FastPath.Kubernetes;

/// <summary>One page of a list: its objects, the list's resourceVersion, and the token for the next page.</summary>
internal sealed record ApiPage(IReadOnlyList<IKubernetesObject<V1ObjectMeta>> Items, string? ResourceVersion, string? Continue);

/// <summary>The arguments of one list or watch call.</summary>
internal sealed record ApiRequest(string? Namespace, string? LabelSelector, string? FieldSelector, string? ResourceVersion = null,
    int? Limit = null, string? Continue = null, int? TimeoutSeconds = null);

/// <summary>
/// A resource FastPath lists and watches, with the client calls for it. The kind and apiVersion are set on every
/// object (list items come without them) so the manifest loader reads them as it reads files.
/// </summary>
internal sealed class ResourceApi
{
    private readonly Func<IKubernetes, ApiRequest, CancellationToken, Task<ApiPage>> _list;
    private readonly Func<IKubernetes, ApiRequest, Action<Exception>, CancellationToken, IAsyncEnumerable<(WatchEventType, IKubernetesObject<V1ObjectMeta>)>> _watch;

    private ResourceApi(string kind, string apiVersion, string group, string resource, bool namespaced,
        Func<IKubernetes, ApiRequest, CancellationToken, Task<ApiPage>> list,
        Func<IKubernetes, ApiRequest, Action<Exception>, CancellationToken, IAsyncEnumerable<(WatchEventType, IKubernetesObject<V1ObjectMeta>)>> watch)
    {
        Kind = kind; ApiVersion = apiVersion; Group = group; Resource = resource; Namespaced = namespaced;
        _list = list; _watch = watch;
    }

    public string Kind { get; }
    public string ApiVersion { get; }
    /// <summary>The API group as RBAC names it ("" for the core group).</summary>
    public string Group { get; }
    /// <summary>The resource as RBAC names it (plural, lower case).</summary>
    public string Resource { get; }
    public bool Namespaced { get; }

    public Task<ApiPage> ListAsync(IKubernetes client, ApiRequest request, CancellationToken ct) => _list(client, request, ct);

    public IAsyncEnumerable<(WatchEventType Type, IKubernetesObject<V1ObjectMeta> Object)> WatchAsync(IKubernetes client, ApiRequest request, Action<Exception> onError, CancellationToken ct) =>
        _watch(client, request, onError, ct);

    /// <summary>Every resource FastPath can watch.</summary>
    public static IReadOnlyList<ResourceApi> All => [Services, EndpointSlices, Namespaces, ConfigMaps, Pods, Nodes];

    public static readonly ResourceApi Services = new("Service", "v1", "", "services", true,
        async (c, r, ct) => Page(r.Namespace is null
            ? await c.CoreV1.ListServiceForAllNamespacesAsync(fieldSelector: r.FieldSelector, labelSelector: r.LabelSelector, limit: r.Limit, continueParameter: r.Continue, cancellationToken: ct).ConfigureAwait(false)
            : await c.CoreV1.ListNamespacedServiceAsync(r.Namespace, fieldSelector: r.FieldSelector, labelSelector: r.LabelSelector, limit: r.Limit, continueParameter: r.Continue, cancellationToken: ct).ConfigureAwait(false)),
        (c, r, onError, ct) => Upcast(r.Namespace is null
            ? c.CoreV1.WatchListServiceForAllNamespacesAsync(allowWatchBookmarks: true, fieldSelector: r.FieldSelector, labelSelector: r.LabelSelector, resourceVersion: r.ResourceVersion, timeoutSeconds: r.TimeoutSeconds, onError: onError, cancellationToken: ct)
            : c.CoreV1.WatchListNamespacedServiceAsync(r.Namespace, allowWatchBookmarks: true, fieldSelector: r.FieldSelector, labelSelector: r.LabelSelector, resourceVersion: r.ResourceVersion, timeoutSeconds: r.TimeoutSeconds, onError: onError, cancellationToken: ct), ct));

    public static readonly ResourceApi EndpointSlices = new("EndpointSlice", "discovery.k8s.io/v1", "discovery.k8s.io", "endpointslices", true,
        async (c, r, ct) => Page(r.Namespace is null
            ? await c.DiscoveryV1.ListEndpointSliceForAllNamespacesAsync(fieldSelector: r.FieldSelector, labelSelector: r.LabelSelector, limit: r.Limit, continueParameter: r.Continue, cancellationToken: ct).ConfigureAwait(false)
            : await c.DiscoveryV1.ListNamespacedEndpointSliceAsync(r.Namespace, fieldSelector: r.FieldSelector, labelSelector: r.LabelSelector, limit: r.Limit, continueParameter: r.Continue, cancellationToken: ct).ConfigureAwait(false)),
        (c, r, onError, ct) => Upcast(r.Namespace is null
            ? c.DiscoveryV1.WatchListEndpointSliceForAllNamespacesAsync(allowWatchBookmarks: true, fieldSelector: r.FieldSelector, labelSelector: r.LabelSelector, resourceVersion: r.ResourceVersion, timeoutSeconds: r.TimeoutSeconds, onError: onError, cancellationToken: ct)
            : c.DiscoveryV1.WatchListNamespacedEndpointSliceAsync(r.Namespace, allowWatchBookmarks: true, fieldSelector: r.FieldSelector, labelSelector: r.LabelSelector, resourceVersion: r.ResourceVersion, timeoutSeconds: r.TimeoutSeconds, onError: onError, cancellationToken: ct), ct));

    public static readonly ResourceApi Namespaces = new("Namespace", "v1", "", "namespaces", false,
        async (c, r, ct) => Page(await c.CoreV1.ListNamespaceAsync(fieldSelector: r.FieldSelector, labelSelector: r.LabelSelector, limit: r.Limit, continueParameter: r.Continue, cancellationToken: ct).ConfigureAwait(false)),
        (c, r, onError, ct) => Upcast(c.CoreV1.WatchListNamespaceAsync(allowWatchBookmarks: true, fieldSelector: r.FieldSelector, labelSelector: r.LabelSelector, resourceVersion: r.ResourceVersion, timeoutSeconds: r.TimeoutSeconds, onError: onError, cancellationToken: ct), ct));

    public static readonly ResourceApi ConfigMaps = new("ConfigMap", "v1", "", "configmaps", true,
        async (c, r, ct) => Page(await c.CoreV1.ListNamespacedConfigMapAsync(r.Namespace!, fieldSelector: r.FieldSelector, labelSelector: r.LabelSelector, limit: r.Limit, continueParameter: r.Continue, cancellationToken: ct).ConfigureAwait(false)),
        (c, r, onError, ct) => Upcast(c.CoreV1.WatchListNamespacedConfigMapAsync(r.Namespace!, allowWatchBookmarks: true, fieldSelector: r.FieldSelector, labelSelector: r.LabelSelector, resourceVersion: r.ResourceVersion, timeoutSeconds: r.TimeoutSeconds, onError: onError, cancellationToken: ct), ct));

    public static readonly ResourceApi Pods = new("Pod", "v1", "", "pods", true,
        async (c, r, ct) => Page(r.Namespace is null
            ? await c.CoreV1.ListPodForAllNamespacesAsync(fieldSelector: r.FieldSelector, labelSelector: r.LabelSelector, limit: r.Limit, continueParameter: r.Continue, cancellationToken: ct).ConfigureAwait(false)
            : await c.CoreV1.ListNamespacedPodAsync(r.Namespace, fieldSelector: r.FieldSelector, labelSelector: r.LabelSelector, limit: r.Limit, continueParameter: r.Continue, cancellationToken: ct).ConfigureAwait(false)),
        (c, r, onError, ct) => Upcast(r.Namespace is null
            ? c.CoreV1.WatchListPodForAllNamespacesAsync(allowWatchBookmarks: true, fieldSelector: r.FieldSelector, labelSelector: r.LabelSelector, resourceVersion: r.ResourceVersion, timeoutSeconds: r.TimeoutSeconds, onError: onError, cancellationToken: ct)
            : c.CoreV1.WatchListNamespacedPodAsync(r.Namespace, allowWatchBookmarks: true, fieldSelector: r.FieldSelector, labelSelector: r.LabelSelector, resourceVersion: r.ResourceVersion, timeoutSeconds: r.TimeoutSeconds, onError: onError, cancellationToken: ct), ct));

    public static readonly ResourceApi Nodes = new("Node", "v1", "", "nodes", false,
        async (c, r, ct) => Page(await c.CoreV1.ListNodeAsync(fieldSelector: r.FieldSelector, labelSelector: r.LabelSelector, limit: r.Limit, continueParameter: r.Continue, cancellationToken: ct).ConfigureAwait(false)),
        (c, r, onError, ct) => Upcast(c.CoreV1.WatchListNodeAsync(allowWatchBookmarks: true, fieldSelector: r.FieldSelector, labelSelector: r.LabelSelector, resourceVersion: r.ResourceVersion, timeoutSeconds: r.TimeoutSeconds, onError: onError, cancellationToken: ct), ct));

    private static ApiPage Page<TItem>(IItems<TItem> list) where TItem : IKubernetesObject<V1ObjectMeta>
    {
        var meta = ((IMetadata<V1ListMeta>)list).Metadata;
        return new ApiPage(list.Items?.Cast<IKubernetesObject<V1ObjectMeta>>().ToList() ?? [], meta?.ResourceVersion, string.IsNullOrEmpty(meta?.ContinueProperty) ? null : meta.ContinueProperty);
    }

    private static async IAsyncEnumerable<(WatchEventType, IKubernetesObject<V1ObjectMeta>)> Upcast<T>(IAsyncEnumerable<(WatchEventType, T)> events, [EnumeratorCancellation] CancellationToken ct)
        where T : IKubernetesObject<V1ObjectMeta>
    {
        await foreach (var (type, obj) in events.WithCancellation(ct).ConfigureAwait(false))
            yield return (type, obj);
    }
}
