using System.Collections.Generic;
using System.Text;
using FastPath.Model.Diagnostics;
using FastPath.Model.Net;

namespace FastPath.Model.Loading;

/// <summary>What an object's metadata.name must be (each kind's ValidateXName in pkg/apis/core/validation).</summary>
internal enum NameRule { Dns1123Subdomain, Dns1123Label, Dns1035Label, /** the caller checks the name itself */ Checked }

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

    /// <summary>
    /// ValidateObjectMeta's rules for what FastPath reads: the name as the kind requires, label keys and values,
    /// annotation keys and their total size. Reports every error; true when there was none.
    /// </summary>
    public static bool Validate(YNode root, NameRule rule)
    {
        var meta = root.Map("metadata");
        if (meta is null) return true;
        bool ok = true;
        var nameNode = meta.Get("name");
        if (nameNode?.AsString() is { Length: > 0 } name)
        {
            var errs = rule switch
            {
                NameRule.Dns1123Label => ApiRules.IsDns1123Label(name),
                NameRule.Dns1035Label => ApiRules.IsDns1035Label(name),
                NameRule.Checked => new List<string>(),
                _ => ApiRules.IsDns1123Subdomain(name),
            };
            ok &= nameNode.Check(errs, name);
        }
        ok &= ValidateLabels(meta.Map("labels"));
        ok &= ValidateAnnotations(meta.Map("annotations"));
        return ok;
    }

    /// <summary>ValidateLabels (apimachinery meta/v1/validation): keys are qualified names, values label values.</summary>
    public static bool ValidateLabels(YNode? labels)
    {
        if (labels is null) return true;
        bool ok = true;
        foreach (var (key, keyNode, value) in labels.Entries())
        {
            ok &= keyNode.Check(ApiRules.IsQualifiedName(key), key, labels.Path);
            if (value.Node is { IsScalar: true, Value: var v })
                ok &= value.Check(ApiRules.IsValidLabelValue(v ?? ""), v ?? "");
        }
        return ok;
    }

    /// <summary>ValidateAnnotations: keys are qualified names (checked in lower case), the total at most 256 KiB.</summary>
    public static bool ValidateAnnotations(YNode? annotations)
    {
        if (annotations is null) return true;
        bool ok = true;
        long total = 0;
        foreach (var (key, keyNode, value) in annotations.Entries())
        {
            ok &= keyNode.Check(ApiRules.IsQualifiedName(key.ToLowerInvariant()), key, annotations.Path);
            total += Encoding.UTF8.GetByteCount(key);
            if (value.Node is { IsScalar: true, Value: { } v }) total += Encoding.UTF8.GetByteCount(v);
        }
        if (total > ApiRules.TotalAnnotationSizeLimitB)
        {
            annotations.Bag.Report(Descriptors.TooLong, annotations.Location, annotations.Path, ApiRules.TotalAnnotationSizeLimitB);
            ok = false;
        }
        return ok;
    }

    public static IReadOnlyDictionary<string, string> Labels(YNode root) =>
        root.Map("metadata")?.StrMap("labels") ?? new Dictionary<string, string>();

    public static IReadOnlyDictionary<string, string> Annotations(YNode root) =>
        root.Map("metadata")?.StrMap("annotations") ?? new Dictionary<string, string>();
}
