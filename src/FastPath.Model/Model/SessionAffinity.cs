namespace FastPath.Model;

public enum SessionAffinity { None, ClientIP }
