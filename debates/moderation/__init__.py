"""Moderation: the queue, flags, actions with their audit log, extraction of arguments.

services.py and extraction.py hold the rules and writes; views.py and extraction_views.py
only read the request, call a service and answer; urls.py routes /moderation/.
"""
