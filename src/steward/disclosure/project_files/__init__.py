"""Files a project publishes about its security process.

SECURITY.md, .well-known/security.txt (RFC 9116) and security-insights.yml.
"""
