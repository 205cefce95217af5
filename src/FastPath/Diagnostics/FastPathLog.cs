using System;
using System.Threading;
using FastPath.Live;
using Microsoft.Extensions.Logging;

namespace FastPath.Diagnostics;

/// <summary>
/// Log events the integrations share (event ids 7000-7099), written at snapshot changes and on failed lookups, never
/// on a successful lookup path.
/// </summary>
public static partial class FastPathLog
{
    [LoggerMessage(EventId = 7000, EventName = "SnapshotChanged", Level = LogLevel.Information,
        Message = "{Integration}: snapshot {Version} published (full: {Full}, services changed: {ServiceCount})")]
    public static partial void SnapshotChanged(ILogger logger, string integration, long version, bool full, int serviceCount);

    [LoggerMessage(EventId = 7001, EventName = "SnapshotNotSynced", Level = LogLevel.Warning,
        Message = "{Integration} has no cluster snapshot yet for {Target}; the source has not synced")]
    public static partial void SnapshotNotSynced(ILogger logger, string integration, string target);

    [LoggerMessage(EventId = 7002, EventName = "LookupMissed", Level = LogLevel.Warning,
        Message = "{Integration} found no endpoint for {Target}: {Reason} ({Detail})")]
    public static partial void LookupMissed(ILogger logger, string integration, string target, string reason, string detail);

    [LoggerMessage(EventId = 7003, EventName = "SnapshotInUse", Level = LogLevel.Debug,
        Message = "{Integration} routes by snapshot {Version} from now on")]
    public static partial void SnapshotInUse(ILogger logger, string integration, long version);

    /// <summary>
    /// Logs every publish of <paramref name="source"/> as <see cref="SnapshotChanged"/>; dispose the result to stop.
    /// </summary>
    public static IDisposable LogSnapshotChanges(this ILogger logger, IClusterSnapshotSource source, string integration)
    {
        void OnChanged(object? sender, SnapshotChangedEventArgs e) =>
            SnapshotChanged(logger, integration, e.Current.Version, e.Change.Full, e.Change.Services.Count);
        source.SnapshotChanged += OnChanged;
        return new Unsubscribe(() => source.SnapshotChanged -= OnChanged);
    }

    /// <summary>
    /// Writes <see cref="SnapshotInUse"/> once per snapshot version an integration starts answering from (its
    /// providers, resolvers or policies share one tracker).
    /// </summary>
    public sealed class SnapshotUse(ILogger logger, string integration)
    {
        private long _version = -1;

        public void Observe(long version)
        {
            if (Volatile.Read(ref _version) != version && Interlocked.Exchange(ref _version, version) != version)
                SnapshotInUse(logger, integration, version);
        }
    }

    private sealed class Unsubscribe(Action action) : IDisposable
    {
        private Action? _action = action;
        public void Dispose() => System.Threading.Interlocked.Exchange(ref _action, null)?.Invoke();
    }
}
