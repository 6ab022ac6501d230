import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { ParentClosePolicy, startChild } from '@temporalio/workflow';
import { uploadNotificationWorkflowId } from '../../domain/engagement/flush';
import { uploadNotification } from './upload-notification';

// Not re-exported by workflows/index.ts: a helper called inside contentPublishing, not a workflow type.
/**
 * What the contentPublishing workflow calls once a content is published: starts the fan-out as an
 * abandoned child (it outlives the publishing run), at most one at a time per content; a run
 * already going is left to finish (the delivery rows make a second one a no-op anyway).
 */
export async function startUploadNotification(contentId: string, pageSize: number): Promise<void> {
  try {
    await startChild(uploadNotification, {
      workflowId: uploadNotificationWorkflowId(contentId),
      args: [{ contentId, pageSize }],
      parentClosePolicy: ParentClosePolicy.ABANDON,
      workflowExecutionTimeout: '1 day',
    });
  } catch (error) {
    if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
  }
}
