"""Paging the person on duty: pages and acknowledgements as a case records them, re-paging, the words of a page.
"""
