using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace FastPath.Generators;

/// <summary>A place in a file, kept as plain values so pipeline models stay equatable; a Location only when reported.</summary>
public sealed record LocationInfo(string FilePath, TextSpan Span, LinePositionSpan LineSpan)
{
    public Location ToLocation() => Location.Create(FilePath, Span, LineSpan);

    public static LocationInfo? From(Location? location) =>
        location?.SourceTree is null ? null : new LocationInfo(location.SourceTree.FilePath, location.SourceSpan, location.GetLineSpan().Span);
}
