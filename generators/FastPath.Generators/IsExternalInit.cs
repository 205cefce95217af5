// netstandard2.0 lacks the marker type records need.
namespace System.Runtime.CompilerServices
{
    internal static class IsExternalInit { }
}
