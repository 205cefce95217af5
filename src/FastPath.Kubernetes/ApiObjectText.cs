using System;
using FastPath.Live;
using k8s;
using k8s.Models;

namespace FastPath.Kubernetes;

/// <summary>
/// An API object as the manifest text the live cluster loads. Fields that change on every write but mean nothing
/// to Service networking are dropped, so a relist that finds an object unchanged finds its text unchanged too.
/// </summary>
internal static class ApiObjectText
{
    private const string LastApplied = "kubectl.kubernetes.io/last-applied-configuration";

    /// <summary>The object's key, or an error saying what is missing.</summary>
    public static ObjectKey? KeyOf(ResourceApi api, IKubernetesObject<V1ObjectMeta> obj, out string? error)
    {
        error = null;
        var meta = obj.Metadata;
        if (string.IsNullOrEmpty(meta?.Name)) { error = "metadata.name is missing"; return null; }
        var ns = api.Namespaced ? meta.NamespaceProperty ?? "" : "";
        if (api.Namespaced && ns.Length == 0) { error = "metadata.namespace is missing"; return null; }
        return new ObjectKey(api.Kind, ns, meta.Name);
    }

    public static string Text(ResourceApi api, IKubernetesObject<V1ObjectMeta> obj)
    {
        obj.ApiVersion = api.ApiVersion; // list items come without them
        obj.Kind = api.Kind;
        var meta = obj.Metadata;
        meta.ResourceVersion = null;
        meta.ManagedFields = null;
        meta.Generation = null;
        meta.Annotations?.Remove(LastApplied);
        return KubernetesJson.Serialize(obj);
    }
}
