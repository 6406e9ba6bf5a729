"""The official-document renderer: the document model (`model`), GB/T 9704-2012 Word (`docx`), the HTML
preview (`html`) and Markdown (`markdown`).

It knows no records: whoever writes a document (a work report, a case bulletin, a rectification notice)
composes the model or calls the .docx helpers, and nothing here imports a records app or `reports`
(tests/documents/test_import_graph.py holds both directions).
"""
