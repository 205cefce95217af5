using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading;
using FastPath.Model.Corefile.Plugins;

namespace FastPath.Server;

/// <summary>
/// The errors plugin (coredns plugin/errors/errors.go): each error a plugin returns is logged as
/// <c>[ERROR] plugin/errors: RCODE NAME. TYPE: error</c>; an error matching a <c>consolidate</c> pattern (the first that
/// matches) is counted instead, and one line per period says how many there were
/// (<c>N errors like 'PATTERN' occurred in last 30s</c>, at the pattern's level), with <c>show_first</c> logging the first
/// of a period at that level too. Pending counts are written when the server stops, as upstream's stop() does.
/// Lines go to the writer the log plugin uses (standard output by default), as CoreDNS logs both to stdout.
/// </summary>
internal sealed class ErrorsPlugin : IDisposable
{
    private readonly TextWriter _out;
    private readonly TimeProvider _time;
    private readonly Pattern[] _patterns;
    private int _stopped;

    public ErrorsPlugin(ErrorsOptions options, TextWriter output, TimeProvider time)
    {
        _out = output;
        _time = time;
        _patterns = options.Consolidate.Select(c => new Pattern(c, new Regex(c.Pattern, RegexOptions.CultureInvariant))).ToArray();
    }

    /// <summary>An error a plugin returned for the query <paramref name="name"/> (fully qualified) of type <paramref name="type"/>.</summary>
    public void Report(int rcode, string name, string type, string error)
    {
        string level = "ERROR";
        foreach (var p in _patterns)
        {
            if (!p.Regex.IsMatch(error)) continue;
            if (Consolidate(p)) return;
            level = p.Level; // show_first: the first of a period is written at the pattern's level
            break;
        }
        Write(level, $"{rcode.ToString(CultureInfo.InvariantCulture)} {name} {type}: {error}");
    }

    /// <summary>Counts an occurrence; true when it is folded into the period's summary, false to write it now.</summary>
    private bool Consolidate(Pattern p)
    {
        if (Volatile.Read(ref _stopped) != 0) return false;
        if (Interlocked.Increment(ref p.Count) != 1) return true;
        // The first of a period starts its timer; the summary is written when it fires.
        var timer = _time.CreateTimer(_ => Summarize(p), null, p.Options.Period, Timeout.InfiniteTimeSpan);
        Interlocked.Exchange(ref p.Timer, timer)?.Dispose();
        return !p.Options.ShowFirst;
    }

    private void Summarize(Pattern p)
    {
        long count = Interlocked.Exchange(ref p.Count, 0);
        if (count == 0) return;
        if (count > 1 || !p.Options.ShowFirst)
            Write(p.Level, $"{count.ToString(CultureInfo.InvariantCulture)} errors like '{p.Options.Pattern}' occurred in last {GoDuration(p.Options.Period)}");
    }

    private void Write(string level, string message)
    {
        if (level == "DEBUG") return; // clog writes debug lines only under the debug plugin, which FastPath does not run
        lock (_out) _out.WriteLine($"[{level}] plugin/errors: {message}");
    }

    /// <summary>Writes the summaries still pending (upstream's stop()) and stops consolidating.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0) return;
        foreach (var p in _patterns)
        {
            Interlocked.Exchange(ref p.Timer, null)?.Dispose();
            Summarize(p);
        }
    }

    /// <summary>Go's time.Duration.String for the periods a Corefile can give: 30s, 5m0s, 1h0m0s, 1.5s, 500ms.</summary>
    internal static string GoDuration(TimeSpan d)
    {
        if (d < TimeSpan.FromSeconds(1)) return d.TotalMilliseconds.ToString("0.###", CultureInfo.InvariantCulture) + "ms";
        string seconds = (d.TotalSeconds % 60).ToString("0.#########", CultureInfo.InvariantCulture) + "s";
        if (d < TimeSpan.FromMinutes(1)) return seconds;
        string minutes = ((long)d.TotalMinutes % 60).ToString(CultureInfo.InvariantCulture) + "m" + seconds;
        return d < TimeSpan.FromHours(1) ? minutes : ((long)d.TotalHours).ToString(CultureInfo.InvariantCulture) + "h" + minutes;
    }

    private sealed class Pattern(ErrorsConsolidation options, Regex regex)
    {
        public readonly ErrorsConsolidation Options = options;
        public readonly Regex Regex = regex;
        public readonly string Level = options.Level == "warning" ? "WARNING" : options.Level.ToUpperInvariant();
        public long Count;
        public ITimer? Timer;
    }
}
