using System;
using System.Collections.Generic;
using System.Linq;
using FastPath.Model.Corefile;
using FastPath.Model.Corefile.Plugins;
using FastPath.Model.Loading;

namespace FastPath.Kubernetes;

/// <summary>
/// One list-then-watch stream: a resource (API group + plural, as RBAC names it), an optional namespace and
/// selectors. Each stream keeps its own resourceVersion.
/// </summary>
internal sealed record WatchedResource(ResourceApi Api, string? Namespace, string? LabelSelector, string? FieldSelector)
{
    /// <summary>A stable name for logs and metrics: <c>services</c>, <c>services@shop</c>, <c>configmaps@kube-system</c>.</summary>
    public string Name => Namespace is null ? Api.Resource : Api.Resource + "@" + Namespace;
}

/// <summary>
/// What must be watched for a given configuration: Services, EndpointSlices and Namespaces always; the
/// <c>kube-system/coredns</c> ConfigMap unless a Corefile is given; Pods when the Corefile says <c>pods verified</c>
/// (or the options insist); Nodes for topology. The install manifests' RBAC rules are checked against this.
/// </summary>
internal static class WatchPlan
{
    public const string CorefileNamespace = "kube-system", CorefileConfigMap = "coredns";

    public static bool WatchesCorefile(FastPathKubernetesOptions options) =>
        options.Load.CorefileText is null && options.Load.CorefilePath is null;

    public static IReadOnlyList<WatchedResource> For(FastPathKubernetesOptions options, bool podsNeeded)
    {
        var list = new List<WatchedResource>();
        var scopes = options.Namespaces.Count == 0 ? [null] : options.Namespaces.Distinct(StringComparer.Ordinal).OrderBy(n => n, StringComparer.Ordinal).Cast<string?>().ToList();
        foreach (var ns in scopes)
        {
            list.Add(new(ResourceApi.Services, ns, options.LabelSelector, null));
            list.Add(new(ResourceApi.EndpointSlices, ns, options.LabelSelector, null));
        }
        // A namespace exists for DNS even when it holds no Service; with a namespace list, only those are asked for.
        if (options.Namespaces.Count == 0) list.Add(new(ResourceApi.Namespaces, null, null, null));
        else foreach (var ns in scopes) list.Add(new(ResourceApi.Namespaces, null, null, "metadata.name=" + ns));
        if (WatchesCorefile(options))
            list.Add(new(ResourceApi.ConfigMaps, CorefileNamespace, null, "metadata.name=" + CorefileConfigMap));
        bool pods = options.Pods switch { PodWatch.Always => true, PodWatch.Never => false, _ => podsNeeded };
        if (pods) foreach (var ns in scopes) list.Add(new(ResourceApi.Pods, ns, null, null));
        if (options.WatchNodes) list.Add(new(ResourceApi.Nodes, null, null, null));
        return list;
    }

    /// <summary>Whether a Corefile needs Pods: its kubernetes plugin answers pod names only for Pods that exist (<c>pods verified</c>).</summary>
    public static bool CorefileNeedsPods(string? corefileText, LoadOptions load)
    {
        var options = load with { CorefileText = corefileText ?? load.CorefileText ?? CorefileConfig.Default, CorefilePath = null };
        var result = ClusterLoader.LoadTexts([], options);
        return result.Cluster?.Corefile.Kubernetes?.Pods == PodMode.Verified;
    }

    /// <summary>The Corefile a <c>kube-system/coredns</c> ConfigMap (as JSON) holds, or null.</summary>
    public static string? CorefileOf(k8s.Models.V1ConfigMap? map) =>
        map?.Data is { } data && data.TryGetValue("Corefile", out var text) ? text : null;
}
