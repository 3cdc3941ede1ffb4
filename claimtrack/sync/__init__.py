"""Sharing one record through git: a working copy beside the database, one file a claim, a merge driver that
merges two versions of a record by change time, and every change attributed to its author.

layout: where each record lives and how it is written; records: the pure merge of two versions of a file;
driver: the merge driver git calls; git: running git; engine: init, status, dry run and sync; author: who
is writing.
"""
