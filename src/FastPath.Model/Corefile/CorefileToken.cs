using FastPath.Model.Diagnostics;

namespace FastPath.Model.Corefile;

/// <summary>A word of a Corefile. <see cref="LineKey"/> groups tokens into lines even after imports splice text in.</summary>
internal sealed record CorefileToken(string Text, bool Quoted, long LineKey, SourceLocation Location)
{
    public bool IsOpen => !Quoted && Text == "{";
    public bool IsClose => !Quoted && Text == "}";
}
