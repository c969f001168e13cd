"""The PDF capacity report (weasyprint) and its charts."""
