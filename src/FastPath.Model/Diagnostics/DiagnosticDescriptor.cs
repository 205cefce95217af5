using System.Globalization;

namespace FastPath.Model.Diagnostics;

public sealed class DiagnosticDescriptor
{
    public DiagnosticDescriptor(string id, DiagnosticSeverity severity, string title, string messageFormat)
    {
        Id = id; Severity = severity; Title = title; MessageFormat = messageFormat;
    }

    public string Id { get; }
    public DiagnosticSeverity Severity { get; }
    public string Title { get; }
    public string MessageFormat { get; }

    public Diagnostic Create(SourceLocation? location, params object[] args) =>
        new(Id, Severity, string.Format(CultureInfo.InvariantCulture, MessageFormat, args), location);
}
