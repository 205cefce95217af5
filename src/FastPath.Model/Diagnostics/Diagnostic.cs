namespace FastPath.Model.Diagnostics;

public enum DiagnosticSeverity { Info, Warning, Error }

/// <summary>One finding about the input, printed as <c>path(line,col): error FP0xxx: message</c>.</summary>
public sealed record Diagnostic(string Id, DiagnosticSeverity Severity, string Message, SourceLocation? Location)
{
    public bool IsError => Severity == DiagnosticSeverity.Error;

    public override string ToString()
    {
        string sev = Severity switch
        {
            DiagnosticSeverity.Error => "error",
            DiagnosticSeverity.Warning => "warning",
            _ => "info",
        };
        return Location is null ? $"{sev} {Id}: {Message}" : $"{Location}: {sev} {Id}: {Message}";
    }
}
