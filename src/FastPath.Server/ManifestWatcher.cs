using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using FastPath.Live;
using FastPath.Model.Loading;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace FastPath.Server;

/// <summary>
/// Manifest files and folders kept in a <see cref="LiveCluster"/>: each edit (collected for a short debounce) loads
/// the whole set first; a set with errors is logged and changes nothing, so the last good snapshot keeps serving.
/// A good set is split into its API objects and applied with <see cref="LiveCluster.Replace"/>, so the live cluster
/// sees which objects changed, as it would from the API server's watch.
/// </summary>
internal sealed class ManifestWatcher : IDisposable
{
    private static readonly string[] Extensions = [".yaml", ".yml", ".json"];
    private readonly IReadOnlyList<string> _paths;
    private readonly LiveCluster _live;
    private readonly LoadOptions _load;
    private readonly TextWriter _log;
    private readonly TimeSpan _debounce;
    private readonly ITimer _timer;
    private readonly List<FileSystemWatcher> _watchers = new();
    private readonly object _gate = new();
    private HashSet<string> _kinds = new(StringComparer.Ordinal);
    private string? _lastErrors;

    public ManifestWatcher(IReadOnlyList<string> paths, LiveCluster live, LoadOptions load, TextWriter log, TimeProvider time, TimeSpan debounce)
    {
        _paths = paths;
        _live = live;
        _load = load;
        _log = log;
        _debounce = debounce;
        _timer = time.CreateTimer(_ => Apply(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Edits applied (successful loads that changed or confirmed the cluster) and edits refused.</summary>
    public int Applied { get; private set; }
    public int Refused { get; private set; }

    /// <summary>Loads the set once (true when it loaded), marks the live cluster synced, then watches for edits.</summary>
    public bool Start()
    {
        bool ok = Apply();
        _live.MarkSynced();
        _live.Flush();
        foreach (var path in _paths)
        {
            var full = Path.GetFullPath(path);
            var watcher = Directory.Exists(full)
                ? new FileSystemWatcher(full) { IncludeSubdirectories = true }
                : new FileSystemWatcher(Path.GetDirectoryName(full)!, Path.GetFileName(full));
            watcher.NotifyFilter = NotifyFilters.FileName | NotifyFilters.LastWrite | NotifyFilters.Size | NotifyFilters.DirectoryName;
            watcher.Changed += (_, _) => Schedule();
            watcher.Created += (_, _) => Schedule();
            watcher.Deleted += (_, _) => Schedule();
            watcher.Renamed += (_, _) => Schedule();
            watcher.Error += (_, e) => { lock (_log) _log.WriteLine($"[WARNING] watch: {e.GetException().Message}; reloading everything"); Schedule(); };
            watcher.EnableRaisingEvents = true;
            _watchers.Add(watcher);
        }
        return ok;
    }

    private void Schedule() => _timer.Change(_debounce, Timeout.InfiniteTimeSpan);

    /// <summary>Loads every file now; applies the objects when the set has no error. True when applied.</summary>
    public bool Apply()
    {
        lock (_gate)
        {
            var result = ClusterLoader.LoadPaths(_paths, _load);
            if (result.Cluster is null)
            {
                var errors = string.Join("\n", result.Diagnostics.Where(d => d.IsError).Select(d => "  " + d));
                if (errors != _lastErrors)
                {
                    lock (_log) _log.WriteLine("[ERROR] watch: the manifests have errors; the last good snapshot keeps serving:\n" + errors);
                    _lastErrors = errors;
                }
                Refused++;
                return false;
            }
            _lastErrors = null;
            var objects = new Dictionary<string, List<KeyValuePair<ObjectKey, string>>>(StringComparer.Ordinal);
            try
            {
                foreach (var file in Files())
                    foreach (var (key, text) in Split(file, File.ReadAllText(file)))
                    {
                        if (!objects.TryGetValue(key.Kind, out var list)) objects[key.Kind] = list = new();
                        list.Add(new(key, text));
                    }
            }
            catch (Exception ex) when (ex is YamlException or IOException)
            {
                // A file changed again between the check and the split: nothing applied, and the next event retries.
                lock (_log) _log.WriteLine($"[WARNING] watch: {ex.Message}; trying again");
                Schedule();
                return false;
            }
            foreach (var kind in _kinds.Union(objects.Keys).ToList())
                _live.Replace(kind, objects.TryGetValue(kind, out var list) ? list : []);
            _kinds = new HashSet<string>(objects.Keys, StringComparer.Ordinal);
            _live.Flush();
            Applied++;
            return true;
        }
    }

    private IEnumerable<string> Files()
    {
        foreach (var p in _paths)
        {
            if (File.Exists(p)) yield return p;
            else if (Directory.Exists(p))
                foreach (var f in Directory.EnumerateFiles(p, "*", SearchOption.AllDirectories)
                    .Where(f => Extensions.Contains(Path.GetExtension(f).ToLowerInvariant())).OrderBy(f => f, StringComparer.Ordinal))
                    yield return f;
        }
    }

    /// <summary>
    /// The API objects of one file, each as its own text keyed by kind, namespace and name. A document without a
    /// name (a <c>kind: List</c>) stays whole, keyed by the file and its position.
    /// </summary>
    /// <remarks>
    /// One pass over YamlDotNet's parser events (no representation tree, no reflection): only <c>kind</c>,
    /// <c>metadata.name</c> and <c>metadata.namespace</c> are read; the whole set has just loaded, so the YAML is
    /// well formed.
    /// </remarks>
    internal static IEnumerable<(ObjectKey Key, string Text)> Split(string path, string text)
    {
        var parser = new Parser(new StringReader(text));
        int index = 0;
        while (parser.MoveNext())
        {
            if (parser.Current is not DocumentStart) continue;
            index++;
            parser.MoveNext();
            var root = parser.Current!;
            string? kind = null, name = null, ns = null;
            if (root is MappingStart)
                EachEntry(parser, key =>
                {
                    if (key == "kind" && parser.Current is Scalar k) kind = k.Value;
                    else if (key == "metadata" && parser.Current is MappingStart)
                        EachEntry(parser, metaKey =>
                        {
                            if (metaKey == "name" && parser.Current is Scalar n) name = n.Value;
                            else if (metaKey == "namespace" && parser.Current is Scalar s) ns = s.Value;
                            else SkipNode(parser);
                        });
                    else SkipNode(parser);
                });
            else SkipNode(parser);
            parser.MoveNext(); // the DocumentEnd: implicit ends sit where the next "---" or the end begins
            if (root is not MappingStart) continue;
            int begin = (int)root.Start.Index;
            int stop = (int)Math.Min(text.Length, parser.Current!.Start.Index);
            var body = text.Substring(begin, Math.Max(0, stop - begin));
            if (kind is null || name is null || kind == "List")
            {
                yield return (new ObjectKey(kind ?? "Document", "", $"{path}#{index}"), body);
                continue;
            }
            yield return (new ObjectKey(kind, ns ?? "", name), body);
        }
    }

    /// <summary>
    /// Walks the mapping whose start the parser is on, to its end: <paramref name="visit"/> gets each key with the parser
    /// on that key's value, and must leave it on the value's last event (<see cref="SkipNode"/> does).
    /// </summary>
    private static void EachEntry(Parser parser, Action<string?> visit)
    {
        parser.MoveNext();
        while (parser.Current is not MappingEnd)
        {
            var key = (parser.Current as Scalar)?.Value;
            SkipNode(parser);
            parser.MoveNext();
            visit(key);
            parser.MoveNext();
        }
    }

    /// <summary>Leaves the parser on the last event of the node it is on: the node itself, or its matching end.</summary>
    private static void SkipNode(Parser parser)
    {
        if (parser.Current is not (MappingStart or SequenceStart)) return;
        int depth = 0;
        do
        {
            if (parser.Current is MappingStart or SequenceStart) depth++;
            else if (parser.Current is MappingEnd or SequenceEnd) depth--;
        }
        while (depth > 0 && parser.MoveNext());
    }

    public void Dispose()
    {
        foreach (var w in _watchers) w.Dispose();
        _timer.Dispose();
    }
}
