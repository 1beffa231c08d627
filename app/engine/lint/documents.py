"""Reading diagram and decision-table files from paths for lint and deploy."""
import os


def read_documents(paths) -> dict[str, bytes]:
    """{display name: content} for files and directories (every *.bpmn and *.dmn inside, sorted)."""
    documents = {}
    for path in paths:
        if os.path.isdir(path):
            for entry in sorted(os.listdir(path)):
                if entry.endswith(('.bpmn', '.dmn')):
                    full = os.path.join(path, entry)
                    with open(full, 'rb') as handle:
                        documents[full] = handle.read()
        else:
            with open(path, 'rb') as handle:
                documents[path] = handle.read()
    return documents
