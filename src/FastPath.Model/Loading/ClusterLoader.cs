using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using FastPath.Model.Diagnostics;

namespace FastPath.Model.Loading;

/// <summary>The result of loading: a cluster when there was no error, and every diagnostic either way.</summary>
public sealed record LoadResult(Cluster? Cluster, IReadOnlyList<Diagnostic> Diagnostics)
{
    public bool Success => Cluster is not null;
}

/// <summary>
/// Reads Kubernetes manifests (files, folders, multi-document files, <c>kind: List</c>) and a Corefile into a
/// <see cref="Cluster"/>. Never throws on bad input: every problem is a located diagnostic.
/// </summary>
public static class ClusterLoader
{
    private static readonly string[] Extensions = [".yaml", ".yml", ".json"];

    public static LoadResult LoadPaths(IEnumerable<string> paths, LoadOptions? options = null)
    {
        options ??= new LoadOptions();
        var bag = new DiagnosticBag();
        var texts = new List<ManifestText>();
        foreach (var p in paths)
        {
            if (File.Exists(p)) { if (ReadText(p, options.Limits, bag) is { } t) texts.Add(new ManifestText(p, t)); }
            else if (Directory.Exists(p))
            {
                var files = Directory.EnumerateFiles(p, "*", SearchOption.AllDirectories)
                    .Where(f => Extensions.Contains(Path.GetExtension(f).ToLowerInvariant()))
                    .OrderBy(f => f, StringComparer.Ordinal).ToList();
                if (files.Count == 0) bag.Report(Descriptors.NoManifests, null, p);
                foreach (var f in files)
                    if (ReadText(f, options.Limits, bag) is { } t) texts.Add(new ManifestText(f, t));
            }
            else bag.Report(Descriptors.InputNotFound, null, p);
        }
        if (options.CorefileText is null && options.CorefilePath is not null)
        {
            if (!File.Exists(options.CorefilePath)) bag.Report(Descriptors.InputNotFound, null, options.CorefilePath);
            else if (ReadText(options.CorefilePath, options.Limits, bag) is { } corefile) options = options with { CorefileText = corefile };
            else options = options with { CorefileText = "" }; // the reason is reported; do not fall back to another Corefile
        }
        return Load(texts, options, bag);
    }

    /// <summary>
    /// Reads a file as strict UTF-8 after checking its size on disk, so a 100 MB file costs no memory and a file of
    /// another encoding is named instead of being read with replacement characters.
    /// </summary>
    private static string? ReadText(string path, ManifestLimits limits, DiagnosticBag bag)
    {
        var length = new FileInfo(path).Length;
        if (length > limits.MaxFileBytes)
        {
            bag.Report(Descriptors.InputLimit, new SourceLocation(path, 1, 1), $"the file holds {length} bytes", limits.MaxFileBytes + " bytes", nameof(ManifestLimits.MaxFileBytes));
            return null;
        }
        var bytes = File.ReadAllBytes(path);
        int start = bytes.Length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? 3 : 0;
        int bad = FirstInvalidUtf8(bytes, start);
        if (bad < 0) return System.Text.Encoding.UTF8.GetString(bytes, start, bytes.Length - start);
        var before = System.Text.Encoding.UTF8.GetString(bytes, start, bad - start);
        int line = 1 + before.Count(c => c == '\n');
        int col = before.Length - (before.LastIndexOf('\n') + 1) + 1;
        bag.Report(Descriptors.InputEncoding, new SourceLocation(path, line, col), $"byte 0x{bytes[bad]:X2} at offset {bad} is not UTF-8");
        return null;
    }

    /// <summary>The offset of the first byte that breaks UTF-8 (RFC 3629: no overlong forms, surrogates or code points past U+10FFFF), or -1.</summary>
    internal static int FirstInvalidUtf8(byte[] b, int start)
    {
        int i = start;
        while (i < b.Length)
        {
            byte c = b[i];
            if (c < 0x80) { i++; continue; }
            int need; int min;
            if (c >= 0xC2 && c <= 0xDF) { need = 1; min = 0x80; }
            else if (c >= 0xE0 && c <= 0xEF) { need = 2; min = 0x800; }
            else if (c >= 0xF0 && c <= 0xF4) { need = 3; min = 0x10000; }
            else return i;
            int cp = c & (0x3F >> need);
            for (int k = 1; k <= need; k++)
            {
                if (i + k >= b.Length || (b[i + k] & 0xC0) != 0x80) return i;
                cp = (cp << 6) | (b[i + k] & 0x3F);
            }
            if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return i;
            i += need + 1;
        }
        return -1;
    }

    public static LoadResult LoadTexts(IEnumerable<ManifestText> texts, LoadOptions? options = null) =>
        Load(texts.ToList(), options ?? new LoadOptions(), new DiagnosticBag());

    /// <summary>
    /// Loads files parsed one by one with <see cref="Parse"/>: the source generator parses each AdditionalFile in
    /// its own incremental step, so editing one manifest re-parses that file only.
    /// </summary>
    public static LoadResult LoadParsed(IEnumerable<ParsedManifest> files, LoadOptions? options = null)
    {
        var list = files.ToList();
        return Assemble(list.OrderBy(f => f.File.Path, StringComparer.Ordinal).ToList(), list.Select(f => f.File).ToList(),
            options ?? new LoadOptions(), new DiagnosticBag());
    }

    /// <summary>
    /// The YAML of one file (or JSON: JSON is YAML, so <c>kubectl get -o json</c> output takes the same path), parsed
    /// within <paramref name="limits"/> in one streamed pass that builds compact trees as it checks (a bomb is refused
    /// before its nodes exist); its errors are kept with it. Nothing of the cluster is read yet.
    /// </summary>
    public static ParsedManifest Parse(ManifestText file, ManifestLimits? limits = null)
    {
        var bag = new DiagnosticBag();
        var documents = ManifestScanner.Scan(file, limits ?? new ManifestLimits(), bag);
        return new ParsedManifest(file, documents, bag.Sorted());
    }

    /// <summary>
    /// Reads the files in path order, each document as soon as it is scanned, and drops its tree before the next is
    /// built: only the model survives, where parsing every file first kept every node of a 10,000-Service file alive
    /// (and copied by each collection) until the last object was read. The result and diagnostics are those of
    /// <see cref="Parse"/> then <see cref="LoadParsed"/>.
    /// </summary>
    private static LoadResult Load(List<ManifestText> texts, LoadOptions options, DiagnosticBag bag)
    {
        var assembler = new ClusterAssembler(options, bag);
        var staged = new List<StagedDocument>();
        foreach (var file in texts.OrderBy(t => t.Path, StringComparer.Ordinal))
        {
            // What reading the documents reports stays apart until the file is read to its end: a file the fast
            // reader declines half-way is read again from the start, and what it reported is forgotten.
            var documentBag = new DiagnosticBag();
            Action<ManifestDocument> stage = d => staged.Add(assembler.Stage(d));
            ManifestScanner.Stream(file, options.Limits, bag,
                onDocument: (doc, itemsHandedOut) =>
                {
                    // A List's items were read one by one (kubectl's listing is one document); what is left of it
                    // only says whether it was a List, and when it was not, the file is read again whole.
                    if (itemsHandedOut) return IsList(doc, file.Path);
                    Collect(new YNode(doc, file.Path, "", documentBag), stage, documentBag);
                    return true;
                },
                onItem: (item, i) =>
                {
                    // As Collect would read it from the List: null items skipped, the path items[i].
                    if (!item.IsNull) Collect(new YNode(item, file.Path, "items[" + i.ToString(CultureInfo.InvariantCulture) + "]", documentBag), stage, documentBag);
                },
                restart: () => { staged.Clear(); documentBag = new DiagnosticBag(); });
            foreach (var s in staged) assembler.Add(s);
            staged.Clear();
            bag.AddRange(documentBag.Items);
        }
        var cluster = assembler.Finish(texts);
        return new LoadResult(bag.HasErrors ? null : cluster, bag.Sorted());
    }

    /// <param name="files">Parsed files in path order (documents are read in this order).</param>
    /// <param name="texts">The files as given (the cluster keeps them as its sources).</param>
    private static LoadResult Assemble(List<ParsedManifest> files, List<ManifestText> texts, LoadOptions options, DiagnosticBag bag)
    {
        var docs = new List<ManifestDocument>();
        foreach (var f in files)
        {
            foreach (var d in f.Errors) bag.Add(d);
            if (f.Documents is null) continue;
            foreach (var doc in f.Documents)
                Collect(new YNode(doc, f.File.Path, "", bag), docs.Add, bag);
        }
        var cluster = new ClusterAssembler(options, bag).Assemble(docs, texts);
        return new LoadResult(bag.HasErrors ? null : cluster, bag.Sorted());
    }

    /// <summary>Whether <see cref="Collect"/> reads the document as a List (then it reports nothing of the root itself).</summary>
    private static bool IsList(YamlValue doc, string path)
    {
        if (!doc.IsMapping) return false;
        var root = new YNode(doc, path, "", new DiagnosticBag()); // a wrong type is reported when the file is read again
        var kind = root.Str("kind");
        return !string.IsNullOrEmpty(kind) && !string.IsNullOrEmpty(root.Str("apiVersion")) && (kind == "List" || kind!.EndsWith("List", StringComparison.Ordinal));
    }

    private static void Collect(YNode root, Action<ManifestDocument> into, DiagnosticBag bag)
    {
        if (root.IsNull) return; // an empty document between '---' separators
        if (!root.Node.IsMapping)
        {
            bag.Report(Descriptors.NotAnObject, root.Location, "a manifest document must be a mapping with apiVersion and kind");
            return;
        }
        var kind = root.Str("kind");
        var apiVersion = root.Str("apiVersion");
        if (string.IsNullOrEmpty(kind)) { bag.Report(Descriptors.MissingField, root.Location, "kind"); return; }
        if (string.IsNullOrEmpty(apiVersion)) { bag.Report(Descriptors.MissingField, root.Location, "apiVersion"); return; }
        if (kind == "List" || kind!.EndsWith("List", StringComparison.Ordinal))
        {
            foreach (var item in root.Seq("items")) Collect(item, into, bag);
            return;
        }
        into(new ManifestDocument(apiVersion!, kind, root));
    }
}
