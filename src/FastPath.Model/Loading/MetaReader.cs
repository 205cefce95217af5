using System.Collections.Generic;
using FastPath.Model.Diagnostics;
using FastPath.Model.Net;

namespace FastPath.Model.Loading;

internal static class MetaReader
{
    /// <summary>Reads metadata.name and metadata.namespace (default "default"); null when the name is missing.</summary>
    public static ObjectMeta? Read(YNode root, bool namespaced = true)
    {
        var meta = root.Map("metadata");
        var name = meta?.Str("name");
        if (string.IsNullOrEmpty(name))
        {
            root.Bag.Report(Descriptors.MissingField, (meta ?? root).Location, "metadata.name");
            return null;
        }
        string ns = namespaced ? meta!.Str("namespace") ?? "default" : "";
        if (ns.Length == 0 && namespaced) ns = "default";
        if (namespaced && !DnsNames.IsDns1123Label(ns))
        {
            root.Bag.Report(Descriptors.InvalidName, meta!.Get("namespace")!.Location, "metadata.namespace", ns, "DNS-1123 label");
            return null;
        }
        return new ObjectMeta(ns, name!, meta!.Get("name")!.Location);
    }

    public static IReadOnlyDictionary<string, string> Labels(YNode root) =>
        root.Map("metadata")?.StrMap("labels") ?? new Dictionary<string, string>();

    public static IReadOnlyDictionary<string, string> Annotations(YNode root) =>
        root.Map("metadata")?.StrMap("annotations") ?? new Dictionary<string, string>();
}
