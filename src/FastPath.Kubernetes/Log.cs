using System;
using Microsoft.Extensions.Logging;

namespace FastPath.Kubernetes;

internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Information, "Listed {Resource}: {Count} objects at resourceVersion {ResourceVersion}")]
    public static partial void Listed(ILogger logger, string resource, int count, string? resourceVersion);

    [LoggerMessage(2, LogLevel.Information, "The watch of {Resource} expired (410 Gone): relisting")]
    public static partial void Expired(ILogger logger, string resource);

    [LoggerMessage(3, LogLevel.Warning, "The watch of {Resource} broke ({Reason}): relisting in {Delay}")]
    public static partial void Broken(ILogger logger, string resource, string reason, TimeSpan delay);

    [LoggerMessage(4, LogLevel.Warning, "The watch of {Resource} was silent for {Idle}: watching again from resourceVersion {ResourceVersion}")]
    public static partial void Silent(ILogger logger, string resource, TimeSpan idle, string? resourceVersion);

    [LoggerMessage(5, LogLevel.Warning, "Skipping {Kind} {Object} from the {Resource} watch: {Reason}")]
    public static partial void SkippedEvent(ILogger logger, string kind, string @object, string resource, string reason);

    [LoggerMessage(6, LogLevel.Information, "Every resource is listed: serving from the API server ({Resources})")]
    public static partial void Synced(ILogger logger, string resources);

    [LoggerMessage(7, LogLevel.Information, "The Corefile {Change} pod records that need Pods: {Action} the pods watch")]
    public static partial void PodsNeeded(ILogger logger, string change, string action);

    [LoggerMessage(8, LogLevel.Information, "Back in sync with the API server after {Outage}")]
    public static partial void Resynced(ILogger logger, TimeSpan outage);
}
