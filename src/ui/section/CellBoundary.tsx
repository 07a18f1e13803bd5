/** If a cell's view throws while drawing, that cell says so; the rest of the lesson carries on. */
import { Component, type ReactNode } from 'react';
import { errorMessage } from '../../core/error-message.ts';

interface State {
  readonly error: string | null;
}

export class CellBoundary extends Component<{ children: ReactNode; output: unknown }, State> {
  override state: State = { error: null };

  static getDerivedStateFromError(e: unknown): State {
    return { error: errorMessage(e) };
  }

  // A new output gets a fresh try.
  override componentDidUpdate(prev: { output: unknown }) {
    if (prev.output !== this.props.output && this.state.error !== null) this.setState({ error: null });
  }

  override render() {
    if (this.state.error !== null) {
      return (
        <p className="error" role="alert">
          This output could not be drawn: {this.state.error}. Run the cell again, or reload the page.
        </p>
      );
    }
    return this.props.children;
  }
}
