using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using FastPath.Model.Diagnostics;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

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
            if (File.Exists(p)) texts.Add(new ManifestText(p, File.ReadAllText(p)));
            else if (Directory.Exists(p))
            {
                var files = Directory.EnumerateFiles(p, "*", SearchOption.AllDirectories)
                    .Where(f => Extensions.Contains(Path.GetExtension(f).ToLowerInvariant()))
                    .OrderBy(f => f, StringComparer.Ordinal).ToList();
                if (files.Count == 0) bag.Report(Descriptors.NoManifests, null, p);
                texts.AddRange(files.Select(f => new ManifestText(f, File.ReadAllText(f))));
            }
            else bag.Report(Descriptors.InputNotFound, null, p);
        }
        if (options.CorefileText is null && options.CorefilePath is not null)
        {
            if (File.Exists(options.CorefilePath)) options = options with { CorefileText = File.ReadAllText(options.CorefilePath) };
            else bag.Report(Descriptors.InputNotFound, null, options.CorefilePath);
        }
        return Load(texts, options, bag);
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

    /// <summary>The YAML of one file, parsed; syntax errors are kept with it. Nothing of the cluster is read yet.</summary>
    public static ParsedManifest Parse(ManifestText file)
    {
        var stream = new YamlStream();
        var parser = new Parser(new StringReader(file.Text));
        try
        {
            stream.Load(parser);
        }
        catch (YamlException ex)
        {
            return new ParsedManifest(file, null, Descriptors.YamlSyntax.Create(
                new SourceLocation(file.Path, (int)ex.Start.Line, (int)ex.Start.Column), CleanMessage(ex.InnerException?.Message ?? ex.Message)));
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException or FormatException or OverflowException)
        {
            // YamlDotNet's scanner raises these too on some malformed text (seen with mutated manifests);
            // the parser's last event is the nearest position we know.
            var at = parser.Current?.Start;
            return new ParsedManifest(file, null, Descriptors.YamlSyntax.Create(
                new SourceLocation(file.Path, (int)(at?.Line ?? 1), (int)(at?.Column ?? 1)), "malformed YAML near here: " + ex.Message));
        }
        return new ParsedManifest(file, stream, null);
    }

    private static LoadResult Load(List<ManifestText> texts, LoadOptions options, DiagnosticBag bag) =>
        Assemble(texts.OrderBy(t => t.Path, StringComparer.Ordinal).Select(Parse).ToList(), texts, options, bag);

    /// <param name="files">Parsed files in path order (documents are read in this order).</param>
    /// <param name="texts">The files as given (the cluster keeps them as its sources).</param>
    private static LoadResult Assemble(List<ParsedManifest> files, List<ManifestText> texts, LoadOptions options, DiagnosticBag bag)
    {
        var docs = new List<ManifestDocument>();
        foreach (var f in files)
        {
            if (f.SyntaxError is not null) { bag.Add(f.SyntaxError); continue; }
            foreach (var doc in f.Yaml!.Documents)
                Collect(new YNode(doc.RootNode, f.File.Path, "", bag), docs, bag);
        }
        var cluster = new ClusterAssembler(options, bag).Assemble(docs, texts);
        return new LoadResult(bag.HasErrors ? null : cluster, bag.Sorted());
    }

    private static string CleanMessage(string msg)
    {
        int paren = msg.IndexOf("): ", StringComparison.Ordinal);
        return msg.StartsWith("(", StringComparison.Ordinal) && paren > 0 ? msg.Substring(paren + 3) : msg;
    }

    private static void Collect(YNode root, List<ManifestDocument> into, DiagnosticBag bag)
    {
        if (root.IsNull) return; // an empty document between '---' separators
        if (root.Node is not YamlMappingNode)
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
        into.Add(new ManifestDocument(apiVersion!, kind, root));
    }
}
