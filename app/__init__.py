"""The application layer: the CLI, reports, exports, the network map and the Streamlit app."""
